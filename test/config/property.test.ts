/**
 * Property tests of plan loading: whatever a person writes (random plans over
 * the real schema's shape, or the shipped roadmap mangled at random), checking
 * it either succeeds or reports located problems; it never crashes with
 * anything but a UserError. And a plan without cycles always resolves into
 * waves in which every phase and group comes after what it depends on.
 */
import { builtInRegistry, loadedBuiltInRegistry } from '../../handlers/built-in.js';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parsePlan } from '../../src/config/load.js';
import { ConfigError, UserError } from '../../src/errors.js';
import { checkPlanFile } from '../../src/plan/load-plan.js';
import { resolvePlan } from '../../src/plan/resolve.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
// parsePlan checks against the handlers' schemas, so it takes a registry with them loaded.
const loaded = await loadedBuiltInRegistry();
const NUM_RUNS = 200;

let dir = '';
let roadmap = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'orchestrate-property-'));
  roadmap = await readFile(path.join(repoRoot, 'config/phases.yaml'), 'utf8');
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

let counter = 0;
const outcomes = { valid: 0, invalid: 0 };

/**
 * Check `text` the way `validate` does (from a file on disk), and when it is
 * valid, resolve it as `plan` does. Returns what went wrong, or '' when the
 * outcome is a clean success or well-formed diagnostics.
 */
async function checkText(text: string): Promise<string> {
  const file = path.join(dir, `plan-${counter++}.yaml`);
  await writeFile(file, text);
  const lineCount = text.split(/\r\n|\r|\n/).length;
  try {
    const result = await checkPlanFile({ config: file, processCwd: dir }, builtInRegistry());
    outcomes[result.ok ? 'valid' : 'invalid']++;
    if (result.ok) {
      // What `plan` and `run` do next: a plan that passed the checks must resolve.
      resolvePlan(result.loaded.config, { source: { file, sha256: result.loaded.source.sha256 }, root: dir, registry: builtInRegistry() });
      return '';
    }
    if (result.diagnostics.length === 0) return 'invalid, with no diagnostics';
    for (const d of result.diagnostics) {
      const where = `${d.line}:${d.column} ${d.path} ${JSON.stringify(d.message)}`;
      if (!Number.isInteger(d.line) || d.line < 1 || d.line > lineCount + 1) return `line out of range: ${where}`;
      if (!Number.isInteger(d.column) || d.column < 1) return `column out of range: ${where}`;
      if (typeof d.message !== 'string' || d.message.trim() === '') return `empty message at ${where}`;
      if (/undefined|\[object Object\]/.test(d.message)) return `message leaks internals: ${where}`;
    }
    return '';
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UserError) return '';
    return `threw ${error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error)}`;
  } finally {
    await rm(file, { force: true });
  }
}

// ---------------------------------------------------------------------------
// Arbitraries over the schema's shape. A clean plan has only valid values and
// unique ids, so that its dependencies alone (random, cycles included) decide
// whether it passes; a noisy plan also has wrong values, wrong types, unknown
// keys and missing fields.

const junk = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer({ min: -5, max: 500 }),
  fc.double({ noNaN: true, min: -10, max: 10 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
  fc.dictionary(fc.constantFrom('x', 'name', 'id', 'run'), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
);

const PHASE_IDS = ['1', '2', '3', '4'] as const;
const GROUP_IDS = ['a', 'b', 'c'] as const;

type Mode = 'noisy' | 'clean' | 'acyclic';

function planArbitrary(mode: Mode) {
  const noisy = mode === 'noisy';
  /** A field: a valid value, or (noisy) a wrong one; absent with weight `absent` (0: required). */
  const field = <T>(valid: fc.Arbitrary<T>, wrong: readonly unknown[] = [], absent = 2): fc.Arbitrary<unknown> =>
    fc.oneof(
      { weight: 8, arbitrary: valid as fc.Arbitrary<unknown> },
      { weight: noisy ? 1 : 0, arbitrary: junk },
      { weight: noisy && wrong.length > 0 ? 1 : 0, arbitrary: fc.constantFrom(...(wrong.length > 0 ? wrong : [null])) },
      { weight: noisy ? Math.max(absent, 1) : absent, arbitrary: fc.constant(undefined) },
    );
  const text = fc.constantFrom('Check the build', 'npm test', 'src/**/*.ts', 'x');
  const duration = fc.oneof(fc.constantFrom('500ms', '30s', '10m', '1h30m'), fc.integer({ min: 0, max: 100_000 }));
  const badDurations = ['soon', '10 minutes', -5, '1 sec', true];
  const command = fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 3 }));
  const settings = {
    retries: field(fc.integer({ min: 0, max: 5 }), [-1, 1.5, 'three']),
    timeout: field(duration, badDurations),
    continue_on_error: field(fc.boolean(), ['yes']),
    backoff: field(
      fc.record({
        initial: field(duration, badDurations),
        factor: field(fc.double({ min: 1, max: 4, noNaN: true }), [0.5, 'x']),
        max: field(duration, badDurations),
        jitter: field(fc.boolean(), ['no']),
      }),
    ),
  };
  const base = { name: field(text, ['']), ...settings };
  const task = fc.oneof(
    fc.oneof(
      ...(
        [
          ['remove_continue_on_error', fc.record({ jobs: fc.array(fc.constantFrom('lint', 'test'), { maxLength: 2 }) })],
          ['yaml_set', fc.record({ path: fc.constantFrom('concurrency', 'jobs.test.timeout-minutes'), value: junk })],
          ['expand_coverage_collection', fc.record({ include: fc.array(text, { minLength: 1, maxLength: 2 }) })],
        ] as const
      ).map(([action, params]) =>
        fc.record({
          ...base,
          type: fc.constant('config_edit'),
          action: field(fc.constant(action), ['remove_contine_on_error'], 0),
          file: field(text, [''], 0),
          // Params that fit the action (its own schema checks them), or wrong ones in noisy plans.
          params: field(params as fc.Arbitrary<unknown>, [[1], { jobs: 'lint' }, { include: 'src' }], 0),
        }),
      ),
    ),
    fc.record({
      ...base,
      type: fc.constant('test_generation'),
      targets: field(command, [[], 5]),
      template: field(fc.constantFrom('auto', 'service', 'route', 'python'), ['mocha']),
      test_file: field(text, ['']),
      framework: field(fc.constantFrom('jest', 'vitest', 'pytest'), ['mocha']),
    }),
    fc.record({
      ...base,
      type: fc.constant('file_generation'),
      template: field(text, [''], 0),
      target: field(text, [''], 0),
      mode: field(fc.constantFrom('create', 'overwrite', 'skip_if_exists'), ['replace']),
    }),
    fc.record({ ...base, type: fc.constant('manual'), instructions: field(text, [''], 0), checklist: field(fc.array(text, { maxLength: 2 }), [[''], 'x']) }),
    fc.record({
      ...base,
      type: fc.constant('command'),
      run: field(command, [[], 42], 0),
      shell: field(fc.boolean(), ['yes']),
      exit_codes: field(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 2 }), [[], ['one']]),
    }),
    ...(noisy ? [fc.record({ ...base, id: fc.constantFrom('1.1', 1.1, 't'), type: field(fc.constantFrom('shell', 'manul', 'Command'), [], 1), run: field(command) })] : []),
  );
  const group = fc.record({
    name: field(text, ['']),
    execution: field(fc.constantFrom('sequential', 'parallel'), ['paralel']),
    max_parallel: field(fc.integer({ min: 1, max: 5 }), [0, 2.5]),
    depends_on: field(fc.subarray([...GROUP_IDS]), ['a', [1.5], ['zz']]),
    ...settings,
    tasks: field(fc.array(task, { minLength: 1, maxLength: 3 }), [[], 'all of them'], 0),
  });
  const figures = fc.record({ lines: field(fc.integer({ min: 0, max: 100 }), [120, '80%']) });
  const checkpoint = fc.oneof(
    fc.record({ name: field(text, [''], 0), run: field(command, [[], 5], 0) }),
    fc.record({ name: field(text, [''], 0), coverage: field(fc.record({ summary: field(text, [''], 0), min: field(figures, [], 0) }), [], 0) }),
    ...(noisy ? [fc.record({ name: text, run: command, coverage: fc.record({ summary: text, min: figures }) })] : []),
  );
  const phase = fc.record({
    name: field(text, [''], 0),
    depends_on: field(fc.subarray([...PHASE_IDS]), ['1', [1.5], ['9']]),
    parallel_with: field(fc.subarray([...PHASE_IDS, '9']), [], noisy ? 4 : 40),
    expected_coverage: field(figures, [], 4),
    max_parallel: field(fc.integer({ min: 1, max: 5 }), [0]),
    ...settings,
    groups: field(fc.array(group, { minLength: 1, maxLength: 3 }), [[], {}], 0),
    checkpoints: field(fc.array(checkpoint, { maxLength: 2 }), [], 4),
    ...(noisy ? { extra_key: fc.option(fc.constant('surprise'), { freq: 10, nil: undefined }) } : {}),
  });
  return fc
    .record({
      version: field(fc.constant(1), [2, '1'], 0),
      project: field(fc.record({ name: field(text, [''], 0), root: field(text, ['']) }), ['demo']),
      defaults: field(fc.record({ ...settings, max_parallel: field(fc.integer({ min: 1, max: 8 }), [0]), fail_fast: field(fc.boolean(), ['no']) })),
      variables: field(fc.dictionary(fc.string({ maxLength: 4 }), junk, { maxKeys: 2 }), [[1]]),
      phases: field(fc.array(phase, { minLength: 1, maxLength: 4 }), [[], 'all'], 0),
      // Ids: noisy plans draw from small pools (duplicates, floats, bad characters); clean ones are unique.
      ids: fc.array(fc.oneof(fc.constantFrom('1', '2', 'a', '1.1', '1.10', 'x y'), fc.integer({ min: 1, max: 3 }), fc.constant(1.1), fc.constant(undefined)), {
        minLength: 64,
        maxLength: 64,
      }),
    })
    .map(({ ids, ...plan }) => withIds(plan, mode, ids));
}

/**
 * Give phases, groups and tasks ids: unique ones, or (noisy) ones drawn from
 * `pool`. In acyclic mode, dependencies point only at phases and groups above.
 */
function withIds(plan: Record<string, unknown>, mode: Mode, pool: readonly unknown[]): Record<string, unknown> {
  let n = 0;
  const draw = (clean: string): unknown => (mode === 'noisy' ? pool[n++ % pool.length] : clean);
  const above = (deps: unknown, index: number, ids: readonly string[]): unknown =>
    mode === 'acyclic' && Array.isArray(deps) ? deps.filter((d) => ids.indexOf(String(d)) < index) : deps;
  const list = (value: unknown): Record<string, unknown>[] =>
    Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)) : [];
  list(plan.phases).forEach((phase, p) => {
    phase.id = draw(PHASE_IDS[p] ?? `p${p}`);
    if (phase.depends_on !== undefined) phase.depends_on = above(phase.depends_on, p, PHASE_IDS);
    if (mode === 'acyclic') delete phase.parallel_with;
    list(phase.groups).forEach((group, g) => {
      group.id = draw(GROUP_IDS[g] ?? `g${g}`);
      if (group.depends_on !== undefined) group.depends_on = above(group.depends_on, g, GROUP_IDS);
      list(group.tasks).forEach((task, t) => {
        task.id = draw(`${p + 1}.${g + 1}.${t + 1}`);
      });
    });
  });
  return plan;
}

// ---------------------------------------------------------------------------
// Mutations of the shipped roadmap's text.

type Mutation =
  | { kind: 'delete' | 'duplicate' | 'truncate-line'; at: number }
  | { kind: 'swap'; at: number; other: number }
  | { kind: 'insert'; at: number; column: number; text: string }
  | { kind: 'indent'; at: number; by: number }
  | { kind: 'truncate'; at: number };

const noise = fc
  .array(fc.constantFrom(':', '-', '[', ']', '{', '}', '"', "'", '#', '&a ', '*a', '!', '|', '>', '\t', '%', '@', '`', ',', '?', ' ', 'x', 'é', '\u0000', '\r', '\n', '---\n'), {
    minLength: 1,
    maxLength: 4,
  })
  .map((parts) => parts.join(''));
const at = fc.nat({ max: 100_000 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete' as const, 'duplicate' as const, 'truncate-line' as const), at }),
  fc.record({ kind: fc.constant('swap' as const), at, other: at }),
  fc.record({ kind: fc.constant('insert' as const), at, column: fc.nat({ max: 40 }), text: noise }),
  fc.record({ kind: fc.constant('indent' as const), at, by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at }),
);

function mutate(source: string, mutations: readonly Mutation[]): string {
  let text = source;
  for (const m of mutations) {
    const lines = text.split('\n');
    const i = m.at % lines.length;
    const line = lines[i] ?? '';
    switch (m.kind) {
      case 'delete':
        lines.splice(i, 1);
        break;
      case 'duplicate':
        lines.splice(i, 0, line);
        break;
      case 'truncate-line':
        lines[i] = line.slice(0, Math.floor(line.length / 2));
        break;
      case 'swap': {
        const j = m.other % lines.length;
        [lines[i], lines[j]] = [lines[j] ?? '', line];
        break;
      }
      case 'insert': {
        const c = Math.min(m.column, line.length);
        lines[i] = line.slice(0, c) + m.text + line.slice(c);
        break;
      }
      case 'indent':
        lines[i] = m.by >= 0 ? ' '.repeat(m.by) + line : line.replace(new RegExp(`^ {0,${-m.by}}`), '');
        break;
      case 'truncate':
        return lines.join('\n').slice(0, m.at % (text.length + 1));
    }
    text = lines.join('\n');
  }
  return text;
}

describe('checking a plan never crashes', () => {
  it('random plans over the schema give success or located problems, never another error', async () => {
    outcomes.valid = 0;
    outcomes.invalid = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(planArbitrary('noisy'), planArbitrary('clean'), planArbitrary('acyclic')), async (value) => {
        const problem = await checkText(stringify(value));
        expect(problem, stringify(value)).toBe('');
      }),
      { numRuns: NUM_RUNS },
    );
    // Both paths were taken: the generators make plans that pass as well as plans that fail.
    expect(outcomes.valid).toBeGreaterThan(NUM_RUNS / 10);
    expect(outcomes.invalid).toBeGreaterThan(NUM_RUNS / 10);
  });

  it('random edits of config/phases.yaml give success or located problems, never another error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const problem = await checkText(mutate(roadmap, mutations));
        expect(problem).toBe('');
      }),
      // Fewer runs: each parses the whole 700-line roadmap.
      { numRuns: NUM_RUNS / 2 },
    );
  });

  it('a random plan text is not parsed into an exception either (parsePlan on text alone)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ':', ' ', '\n', '-', '[', ']', '{', '}', '"', '#', '\t', '1', '*', '&'), maxLength: 60 }), (text) => {
        const result = parsePlan({ file: 'p.yaml', text, sha256: 'x' }, loaded);
        if (!result.ok) for (const d of result.diagnostics) expect(d.line >= 1 && d.column >= 1 && d.message.length > 0).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

// ---------------------------------------------------------------------------
// Acyclic plans: phase i may depend only on phases before it, group j only on
// groups before it; an absent depends_on means "the one above".

const acyclic = fc.integer({ min: 1, max: 7 }).chain((phaseCount) =>
  fc.tuple(
    ...Array.from({ length: phaseCount }, (_, i) =>
      fc.record({
        depends_on: fc.option(fc.subarray(Array.from({ length: i }, (_, k) => `p${k}`)), { nil: undefined }),
        groups: fc.integer({ min: 1, max: 4 }).chain((groupCount) =>
          fc.tuple(...Array.from({ length: groupCount }, (_, j) => fc.option(fc.subarray(Array.from({ length: j }, (_, k) => `g${k}`)), { nil: undefined }))),
        ),
      }),
    ),
  ),
);

function acyclicPlanText(phases: readonly { depends_on: string[] | undefined; groups: readonly (string[] | undefined)[] }[]): string {
  return stringify({
    version: 1,
    phases: phases.map((p, i) => ({
      id: `p${i}`,
      name: `Phase ${i}`,
      ...(p.depends_on ? { depends_on: p.depends_on } : {}),
      groups: p.groups.map((deps, j) => ({
        id: `g${j}`,
        ...(deps ? { depends_on: deps } : {}),
        tasks: [{ id: `t${i}.${j}`, type: 'manual', instructions: 'Do it.' }],
      })),
    })),
  });
}

describe('resolving an acyclic plan', () => {
  it('puts every phase and group in a wave after all of its dependencies, as early as possible', () => {
    fc.assert(
      fc.property(acyclic, (phases) => {
        const result = parsePlan({ file: 'p.yaml', text: acyclicPlanText(phases), sha256: 'x' }, loaded);
        if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
        const resolved = resolvePlan(result.loaded.config, { source: { file: 'p.yaml', sha256: 'x' }, root: '/', registry: builtInRegistry() });

        // Waves partition the phases, and agree with each phase's `wave`.
        expect(resolved.waves.flat().sort()).toEqual(resolved.phases.map((p) => p.id).sort());
        const wave = new Map(resolved.phases.map((p) => [p.id, p.wave]));
        resolved.waves.forEach((ids, w) => ids.forEach((id) => expect(wave.get(id)).toBe(w + 1)));

        for (const [i, p] of resolved.phases.entries()) {
          const declared = phases[i]!.depends_on ?? (i === 0 ? [] : [`p${i - 1}`]);
          expect(p.dependsOn).toEqual(declared);
          for (const dep of p.dependsOn) expect(wave.get(dep)!).toBeLessThan(p.wave);
          // Longest-path layering: nothing waits longer than it must.
          const earliest = Math.max(0, ...p.dependsOn.map((dep) => wave.get(dep)!)) + 1;
          expect(p.wave).toBe(earliest);

          const groupWave = new Map(p.groups.map((g) => [g.id, g.wave]));
          for (const g of p.groups) {
            for (const dep of g.dependsOn) expect(groupWave.get(dep)!).toBeLessThan(g.wave);
            expect(g.wave).toBe(Math.max(0, ...g.dependsOn.map((dep) => groupWave.get(dep)!)) + 1);
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
