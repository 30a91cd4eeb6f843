/**
 * The plan cache, in process: after any sequence of random edits of a plan,
 * of a template it names and of the environment its `${VAR}`s read, a load
 * through the cache gives exactly what a load without it gives (the resolved
 * plan, the config, the raw data, the registry, located problems), and a load
 * with nothing changed is a hit that parses no YAML and runs no schema check.
 * Cache files broken in any way are ignored and replaced; a cache that cannot
 * be written is skipped. Plugins' files are inputs too.
 */
import { mkdtemp, mkdir, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInRegistry } from '../../handlers/built-in.js';
import { validatePlan, type ValidationResult } from '../../src/api/load.js';
import type { ApiWorld } from '../../src/api/options.js';
import { CACHE_FORMAT, encodeEntry, sha256, type CacheEntry } from '../../src/config/cache-entry.js';
import { loadWork } from '../../src/config/load.js';
import { PlanCache } from '../../src/config/plan-cache.js';

const NUM_RUNS = Number(process.env['ORCHESTRATE_PROPERTY_RUNS'] ?? 40);
const registry = builtInRegistry();
const world: ApiWorld = { builtIns: async () => registry };

let root = '';
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'orchestrate-plan-cache-'));
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

let counter = 0;
async function freshDir(): Promise<string> {
  const dir = path.join(root, `case-${counter++}`);
  await mkdir(path.join(dir, 'tpl'), { recursive: true });
  return dir;
}

/** The parts of a plan the edits change. */
interface PlanShape {
  name: string;
  taskName: string;
  retries: number;
  /** Writes `${WHO}` (no default: an error while WHO is unset). */
  usesWho: boolean;
  /** Depends on a group that does not exist (a graph error). */
  dangling: boolean;
  /** A key the schema does not know (a schema error). */
  unknownKey: boolean;
  /** A YAML syntax error. */
  broken: boolean;
  timeout: string;
}

function planText(shape: PlanShape): string {
  return [
    'version: 1',
    `project: { name: ${JSON.stringify(shape.name)}, root: . }`,
    'templates_dir: tpl',
    'variables:',
    '  greeting: "${GREETING:-hello}"',
    ...(shape.usesWho ? ['  who: "${WHO}"'] : []),
    'defaults:',
    `  timeout: ${shape.timeout}`,
    'phases:',
    '  - id: 1',
    '    name: First',
    '    groups:',
    '      - id: a',
    '        tasks:',
    `          - { id: "1.1", name: ${JSON.stringify(shape.taskName)}, type: file_generation, template: note, target: out/note.txt }`,
    `          - { id: "1.2", type: command, run: [echo, "\${MSG:-none}"], retries: ${shape.retries}${shape.unknownKey ? ', colour: red' : ''} }`,
    '      - id: b',
    `        depends_on: [${shape.dangling ? 'nope' : 'a'}]`,
    '        tasks:',
    '          - { id: "1.3", type: manual, instructions: "Say {{greeting}}" }',
    ...(shape.broken ? ['  - id: 2', '    name: [unclosed'] : []),
    '',
  ].join('\n');
}

interface State {
  shape: PlanShape;
  template: string;
  env: Record<string, string | undefined>;
  /** Under untrusted only these names may be read; undefined: trusted. */
  allowed: string[] | undefined;
}

const word = fc.stringMatching(/^[a-z][a-z ]{0,8}$/);
// Mostly valid plans, so that edits often go from a plan that loads to another.
const rarely = fc.constantFrom(false, false, false, true);
const shapeArb: fc.Arbitrary<PlanShape> = fc.record({
  name: word,
  taskName: word,
  retries: fc.integer({ min: -1, max: 6 }),
  usesWho: fc.boolean(),
  dangling: rarely,
  unknownKey: rarely,
  broken: rarely,
  timeout: fc.constantFrom('10s', '2m', '1h', 'soon'),
});
const envValue = fc.option(fc.stringMatching(/^[a-z0-9]{0,4}$/), { nil: undefined });
const envName = fc.constantFrom('GREETING', 'WHO', 'MSG');

type Edit =
  | { kind: 'plan'; change: Partial<PlanShape> }
  | { kind: 'template'; text: string }
  | { kind: 'env'; name: string; value: string | undefined }
  | { kind: 'trust'; allowed: string[] | undefined }
  | { kind: 'none' };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 3, arbitrary: shapeArb.chain((shape) => fc.subarray(Object.keys(shape) as (keyof PlanShape)[], { minLength: 1 }).map((keys) => ({ kind: 'plan' as const, change: Object.fromEntries(keys.map((key) => [key, shape[key]])) }))) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }).map((text) => ({ kind: 'template' as const, text })) },
  { weight: 2, arbitrary: fc.record({ name: envName, value: envValue }).map((e) => ({ kind: 'env' as const, ...e })) },
  { weight: 1, arbitrary: fc.option(fc.subarray(['GREETING', 'WHO', 'MSG']), { nil: undefined }).map((allowed) => ({ kind: 'trust' as const, allowed })) },
  { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
);

function apply(state: State, edit: Edit): State {
  switch (edit.kind) {
    case 'plan':
      return { ...state, shape: { ...state.shape, ...edit.change } };
    case 'template':
      return { ...state, template: edit.text };
    case 'env':
      return { ...state, env: { ...state.env, [edit.name]: edit.value } };
    case 'trust':
      return { ...state, allowed: edit.allowed };
    case 'none':
      return state;
  }
}

async function write(dir: string, state: State): Promise<void> {
  await writeFile(path.join(dir, 'phases.yaml'), planText(state.shape));
  await writeFile(path.join(dir, 'tpl', 'note.hbs'), state.template);
}

function load(dir: string, state: State, cache?: PlanCache): Promise<ValidationResult> {
  const allowed = state.allowed;
  return validatePlan(world, {
    config: 'phases.yaml',
    base: dir,
    expand: { env: { ...state.env }, mayRead: allowed ? (name) => allowed.includes(name) : undefined },
    cache,
  });
}

/** What a consumer of a load sees, in a form to compare. */
function seen(result: ValidationResult): unknown {
  if (!result.valid) return { valid: false, diagnostics: result.diagnostics };
  return {
    valid: true,
    plan: result.plan,
    file: result.file,
    config: result.loaded.config,
    raw: result.loaded.raw,
    source: result.loaded.source,
    types: result.registry.types(),
    // Locating a problem after the load (the YAML is parsed only now on a hit).
    located: [result.loaded.diagnose(['phases', 0, 'groups', 1, 'depends_on', 0], 'probe', { hint: 'h' }), result.loaded.diagnose(['variables', 'greeting'], 'key', { target: 'key' })],
  };
}

describe('plan cache', () => {
  it('gives what an uncached load gives after any random edits of the plan, a template and the environment; unchanged input is a hit without parsing', async () => {
    const initial = fc.record({ shape: shapeArb, template: fc.string({ maxLength: 20 }), env: fc.record({ GREETING: envValue, WHO: envValue, MSG: envValue }), allowed: fc.constant(undefined) });
    const tally = { hits: 0, misses: 0, valid: 0, invalid: 0 };
    await fc.assert(
      fc.asyncProperty(initial, fc.array(editArb, { minLength: 1, maxLength: 8 }), async (start, edits) => {
        const dir = await freshDir();
        const cache = new PlanCache({ dir: path.join(dir, 'cache'), build: 'test' });
        let state: State = start;
        await write(dir, state);
        let previousValid = false;
        for (const edit of [{ kind: 'none' as const }, ...edits]) {
          const before = state;
          state = apply(state, edit);
          await write(dir, state);
          const hits = cache.stats.hits;
          const work = { ...loadWork };
          const cached = await load(dir, state, cache);
          const parsedOnTheWay = loadWork.yamlParses - work.yamlParses;
          const checked = loadWork.schemaChecks - work.schemaChecks;
          const fresh = await load(dir, state);
          expect(seen(cached)).toEqual(seen(fresh));
          // Nothing the load reads changed (a template is read when a task runs, not when the plan loads).
          const sameInputs = planText(before.shape) === planText(state.shape) && JSON.stringify(before.env) === JSON.stringify(state.env) && JSON.stringify(before.allowed) === JSON.stringify(state.allowed);
          if (previousValid && sameInputs) {
            expect(cache.stats.hits).toBe(hits + 1);
            expect(parsedOnTheWay).toBe(0);
            expect(checked).toBe(0);
          }
          if (cache.stats.hits > hits) {
            expect(cached.valid).toBe(true);
            tally.hits += 1;
          } else tally.misses += 1;
          tally[cached.valid ? 'valid' : 'invalid'] += 1;
          previousValid = cached.valid;
          if (cached.valid) {
            // Loaded again at once, unchanged: a hit, without YAML or schema work, seeing the same.
            const again = { hits: cache.stats.hits, ...loadWork };
            const reloaded = await load(dir, state, cache);
            expect([cache.stats.hits, loadWork.yamlParses, loadWork.schemaChecks]).toEqual([again.hits + 1, again.yamlParses, again.schemaChecks]);
            // Locating a problem afterwards parses the YAML then, and finds what a full load finds.
            expect(seen(reloaded)).toEqual(seen(fresh));
            tally.hits += 1;
          }
        }
        await rm(dir, { recursive: true, force: true });
      }),
      { numRuns: NUM_RUNS },
    );
    // The edits reach both sides of every branch: hits and misses, valid and invalid plans.
    expect(tally.hits).toBeGreaterThan(0);
    expect(tally.misses).toBeGreaterThan(0);
    expect(tally.valid).toBeGreaterThan(0);
    expect(tally.invalid).toBeGreaterThan(0);
  });

  const validShape: PlanShape = { name: 'demo', taskName: 'note', retries: 1, usesWho: true, dangling: false, unknownKey: false, broken: false, timeout: '10s' };
  const validState: State = { shape: validShape, template: 'hi', env: { WHO: 'ada' }, allowed: undefined };

  /** A directory with a valid plan loaded once through a cache in `cacheDir`, and that cache's file. */
  async function stored(): Promise<{ dir: string; cacheDir: string; file: string; entry: CacheEntry }> {
    const dir = await freshDir();
    await write(dir, validState);
    const cacheDir = path.join(dir, 'cache');
    const cache = new PlanCache({ dir: cacheDir, build: 'test' });
    expect((await load(dir, validState, cache)).valid).toBe(true);
    expect(cache.stats.stored).toBe(1);
    const file = cache.fileFor(path.join(dir, 'phases.yaml'));
    const text = await readFile(file, 'utf8');
    return { dir, cacheDir, file, entry: JSON.parse(text.slice(text.indexOf('\n') + 1)) as CacheEntry };
  }

  const withChecksum = (body: string) => `orchestrate-plan-cache ${CACHE_FORMAT} ${sha256(body)}\n${body}`;
  const corruptions: [string, (text: string, entry: CacheEntry) => string | Buffer][] = [
    ['an empty file', () => ''],
    ['a truncated file', (text) => text.slice(0, Math.floor(text.length / 2))],
    ['a changed byte in the body', (text) => text.replace('"demo"', '"dem0"')],
    ['another format', (text) => text.replace(`orchestrate-plan-cache ${CACHE_FORMAT} `, 'orchestrate-plan-cache 0 ')],
    ['binary garbage', () => Buffer.from([0, 255, 10, 1, 2, 3])],
    ['a correct checksum over text that is not JSON', () => withChecksum('{"build":')],
    ['a correct checksum over the wrong shape', (_text, entry) => withChecksum(JSON.stringify({ ...entry, config: 'phases' }))],
    ['a correct checksum over a list', () => withChecksum('[1,2,3]')],
    ['another build', (_text, entry) => encodeEntry({ ...entry, build: 'other' })],
    ['the entry of another plan', (_text, entry) => encodeEntry({ ...entry, plan: { ...entry.plan, path: '/elsewhere/phases.yaml' } })],
  ];

  for (const [what, corrupt] of corruptions) {
    it(`ignores and replaces a cache file with ${what}`, async () => {
      const { dir, cacheDir, file, entry } = await stored();
      await writeFile(file, corrupt(await readFile(file, 'utf8'), entry));
      const cache = new PlanCache({ dir: cacheDir, build: 'test' });
      const result = await load(dir, validState, cache);
      expect(seen(result)).toEqual(seen(await load(dir, validState)));
      expect(cache.stats).toMatchObject({ hits: 0, ignored: 1, stored: 1 });
      // Replaced: the next process hits.
      const next = new PlanCache({ dir: cacheDir, build: 'test' });
      expect(seen(await load(dir, validState, next))).toEqual(seen(result));
      expect(next.stats).toMatchObject({ hits: 1, ignored: 0 });
    });
  }

  it('goes on without a cache it cannot write (a folder where the file goes, a cache directory under a file)', async () => {
    const { dir, cacheDir, file } = await stored();
    await rm(file);
    await mkdir(file);
    const blocked = new PlanCache({ dir: cacheDir, build: 'test' });
    const result = await load(dir, validState, blocked);
    expect(seen(result)).toEqual(seen(await load(dir, validState)));
    expect(blocked.stats).toMatchObject({ hits: 0, stored: 0, unwritable: 1 });

    await writeFile(path.join(dir, 'a-file'), '');
    const underFile = new PlanCache({ dir: path.join(dir, 'a-file', 'cache'), build: 'test' });
    expect(seen(await load(dir, validState, underFile))).toEqual(seen(result));
    expect(underFile.stats).toMatchObject({ hits: 0, stored: 0, unwritable: 1 });
  });

  it('keeps a bounded number of entries, dropping the ones written longest ago', async () => {
    const { dir, cacheDir, file } = await stored();
    const plans = path.dirname(file);
    for (let i = 0; i < 5; i++) {
      const old = path.join(plans, `old-${i}.json`);
      await writeFile(old, 'x');
      await utimes(old, 1000 + i, 1000 + i);
    }
    await utimes(file, 2000, 2000);
    const state: State = { ...validState, env: { WHO: 'grace' } };
    const cache = new PlanCache({ dir: cacheDir, build: 'test', maxEntries: 3 });
    expect((await load(dir, state, cache)).valid).toBe(true);
    expect(cache.stats.stored).toBe(1);
    // The entry just written is kept, with the two written most recently before it.
    expect((await readdir(plans)).sort()).toEqual([path.basename(file), 'old-3.json', 'old-4.json'].sort());
    const next = new PlanCache({ dir: cacheDir, build: 'test', maxEntries: 3 });
    expect((await load(dir, state, next)).valid).toBe(true);
    expect(next.stats.hits).toBe(1);
  });

  it('does not store a plan with problems: its diagnostics are always those of a full load', async () => {
    const dir = await freshDir();
    const state: State = { ...validState, shape: { ...validShape, dangling: true } };
    await write(dir, state);
    const cache = new PlanCache({ dir: path.join(dir, 'cache'), build: 'test' });
    for (let i = 0; i < 2; i++) {
      const result = await load(dir, state, cache);
      expect(result.valid).toBe(false);
      expect(seen(result)).toEqual(seen(await load(dir, state)));
    }
    expect(cache.stats).toMatchObject({ hits: 0, misses: 2, stored: 0 });
  });

  it('treats a plugin file and its package manifest as inputs', async () => {
    const dir = await freshDir();
    const plugin = (summary: string, type = 'greet') =>
      `export default { type: ${JSON.stringify(type)}, summary: ${JSON.stringify(summary)}, schema: { safeParse: (v) => ({ success: true, data: v }) }, describe: (t) => 'greet ' + t.id + ' (${summary})', run: async () => ({ status: 'unchanged', summary: '' }) };\n`;
    const planWith = (handlers: string) => `version: 1\nhandlers: [${handlers}]\nphases:\n  - id: 1\n    name: One\n    groups:\n      - id: a\n        tasks:\n          - { id: "1.1", type: greet, who: x }\n`;
    await writeFile(path.join(dir, 'phases.yaml'), planWith('./greet.mjs'));
    await writeFile(path.join(dir, 'greet.mjs'), plugin('one'));
    const cacheDir = path.join(dir, 'cache');
    const state: State = { ...validState, env: {} };
    const run = async () => {
      const cache = new PlanCache({ dir: cacheDir, build: 'test' });
      const result = await load(dir, state, cache);
      expect(seen(result)).toEqual(seen(await load(dir, state)));
      return { result, stats: cache.stats };
    };
    expect((await run()).stats).toMatchObject({ hits: 0, stored: 1 });
    const hit = await run();
    expect(hit.stats).toMatchObject({ hits: 1 });
    expect(hit.result.valid && hit.result.registry.originOf('greet')).toEqual({ kind: 'plugin', name: './greet.mjs' });

    // A changed plugin file is a miss (a new file name: node caches a module by its URL within a process).
    await writeFile(path.join(dir, 'greet2.mjs'), plugin('two'));
    await writeFile(path.join(dir, 'phases.yaml'), planWith('./greet2.mjs'));
    expect((await run()).stats).toMatchObject({ hits: 0, stored: 1 });
    await writeFile(path.join(dir, 'greet2.mjs'), plugin('three'));
    const changed = await run();
    expect(changed.stats).toMatchObject({ hits: 0, misses: 1 });

    // A package plugin: its package.json is read, so a change to it is a miss.
    const pkg = path.join(dir, 'node_modules', 'greet-pkg');
    await mkdir(pkg, { recursive: true });
    await writeFile(path.join(pkg, 'index.mjs'), plugin('pkg'));
    await writeFile(path.join(pkg, 'package.json'), JSON.stringify({ name: 'greet-pkg', version: '1.0.0', exports: { import: './index.mjs' } }));
    await writeFile(path.join(dir, 'phases.yaml'), planWith('greet-pkg'));
    expect((await run()).stats).toMatchObject({ stored: 1 });
    expect((await run()).stats).toMatchObject({ hits: 1 });
    await writeFile(path.join(pkg, 'package.json'), JSON.stringify({ name: 'greet-pkg', version: '1.0.1', exports: { import: './index.mjs' } }));
    expect((await run()).stats).toMatchObject({ hits: 0, misses: 1, stored: 1 });

    // A plugin gone: the diagnostics of a full load.
    await rm(pkg, { recursive: true });
    const gone = await run();
    expect(gone.result.valid).toBe(false);
    expect(gone.stats).toMatchObject({ hits: 0, misses: 1 });
  });
});
