/**
 * resolvePlan: the plan the executor runs. Settings cascade plan -> phase ->
 * group -> task (backoff field by field), dependencies are explicit (an absent
 * depends_on means "the one above", `[]` means none), waves are computed, and
 * parallelism is bounded from above.
 */
import { builtInRegistry, loadedBuiltInRegistry } from '../../handlers/built-in.js';
import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../src/config/load.js';
import { resolvePlan } from '../../src/plan/resolve.js';
import { BUILTIN_DEFAULTS, type Plan, type PlannedTask } from '../../src/plan/types.js';

// parsePlan checks against the handlers' schemas, so it takes a registry with them loaded.
const loaded = await loadedBuiltInRegistry();

/** Resolve a plan written as YAML; fails the test with the diagnostics if it does not load. */
function resolve(yaml: string): Plan {
  const result = parsePlan({ file: 'phases.yaml', text: yaml, sha256: 'test' }, loaded);
  if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.path} ${d.message}`).join('\n'));
  return resolvePlan(result.loaded.config, { source: { file: 'phases.yaml', sha256: 'test' }, root: '/repo', registry: builtInRegistry() });
}

function task(plan: Plan, id: string): PlannedTask {
  const found = plan.phases.flatMap((p) => p.groups).flatMap((g) => g.tasks).find((t) => t.id === id);
  if (!found) throw new Error(`no task ${id}`);
  return found;
}

const manual = (id: string, extra = '') => `{ id: "${id}", type: manual, instructions: Do it.${extra} }`;

describe('settings cascade', () => {
  const plan = resolve(`
version: 1
defaults:
  retries: 2
  timeout: 10m
  backoff: { initial: 1s, factor: 2, max: 30s, jitter: true }
phases:
  - id: 1
    name: One
    timeout: 5m
    backoff: { factor: 3 }
    groups:
      - id: a
        retries: 0
        backoff: { max: 1m }
        continue_on_error: true
        tasks:
          - ${manual('a.1', ', backoff: { jitter: false }, timeout: 45s')}
          - ${manual('a.2', ', retries: 7, continue_on_error: false')}
      - id: b
        tasks:
          - ${manual('b.1')}
  - id: 2
    name: Two
    groups:
      - id: c
        tasks:
          - ${manual('c.1')}
`);

  it('the nearest level that sets a value wins', () => {
    expect(task(plan, 'a.1').settings).toEqual({
      retries: 0, // group
      timeoutMs: 45_000, // task
      continueOnError: true, // group
      backoff: { initialMs: 1_000, factor: 3, maxMs: 60_000, jitter: false }, // plan, phase, group, task
    });
    expect(task(plan, 'a.2').settings).toMatchObject({ retries: 7, timeoutMs: 300_000, continueOnError: false });
  });

  it('backoff merges field by field: a level that sets one field keeps the others from above', () => {
    // Group b sets nothing: the phase's factor over the plan's other fields.
    expect(task(plan, 'b.1').settings.backoff).toEqual({ initialMs: 1_000, factor: 3, maxMs: 30_000, jitter: true });
    expect(task(plan, 'b.1').settings).toMatchObject({ retries: 2, timeoutMs: 300_000, continueOnError: false });
  });

  it('a phase without overrides gets the plan defaults, not a sibling phase’s', () => {
    expect(task(plan, 'c.1').settings).toEqual({
      retries: 2,
      timeoutMs: 600_000,
      continueOnError: false,
      backoff: { initialMs: 1_000, factor: 2, maxMs: 30_000, jitter: true },
    });
  });

  it('a plan that sets nothing gets the built-in defaults', () => {
    const bare = resolve(`version: 1\nphases:\n  - { id: 1, name: One, groups: [{ id: a, tasks: [${manual('x')}] }] }\n`);
    expect(task(bare, 'x').settings).toEqual({
      retries: BUILTIN_DEFAULTS.retries,
      timeoutMs: BUILTIN_DEFAULTS.timeoutMs,
      continueOnError: false,
      backoff: BUILTIN_DEFAULTS.backoff,
    });
    expect(bare.settings).toEqual({ maxParallel: 4, failFast: false });
  });

  it('variables cascade the same way, the task’s winning', () => {
    const withVariables = resolve(`
version: 1
variables: { a: plan, b: plan, c: plan, d: plan }
phases:
  - id: 1
    name: One
    variables: { b: phase, c: phase, d: phase }
    groups:
      - id: g
        variables: { c: group, d: group }
        tasks: [${manual('t', ', variables: { d: task }')}]
`);
    expect(task(withVariables, 't').variables).toEqual({ a: 'plan', b: 'phase', c: 'group', d: 'task' });
  });
});

describe('dependencies and waves', () => {
  const plan = resolve(`
version: 1
phases:
  - { id: 1, name: One, groups: [{ id: a, tasks: [${manual('1')}] }] }
  - { id: 2, name: Two, groups: [{ id: a, tasks: [${manual('2')}] }] }
  - { id: 3, name: Three, depends_on: [1], groups: [{ id: a, tasks: [${manual('3')}] }] }
  - { id: 4, name: Four, depends_on: [2, 3], groups: [{ id: a, tasks: [${manual('4')}] }] }
  - { id: 5, name: Five, depends_on: [], groups: [{ id: a, tasks: [${manual('5')}] }] }
  - { id: 6, name: Six, groups: [{ id: a, tasks: [${manual('6')}] }] }
`);
  const phase = (id: string) => plan.phases.find((p) => p.id === id)!;

  it('a phase without depends_on waits for the phase above; the first waits for nothing', () => {
    expect(phase('1').dependsOn).toEqual([]);
    expect(phase('2').dependsOn).toEqual(['1']);
    expect(phase('6').dependsOn).toEqual(['5']);
  });

  it('`depends_on: []` means no dependencies at all', () => {
    expect(phase('5').dependsOn).toEqual([]);
    expect(phase('5').wave).toBe(1);
  });

  it('waves put each phase one after its latest dependency', () => {
    expect(plan.waves).toEqual([['1', '5'], ['2', '3', '6'], ['4']]);
    expect(plan.phases.map((p) => [p.id, p.wave])).toEqual([
      ['1', 1],
      ['2', 2],
      ['3', 2],
      ['4', 3],
      ['5', 1],
      ['6', 2],
    ]);
  });

  it('records dependents, the other direction of each edge', () => {
    expect(phase('1').dependents).toEqual(['2', '3']);
    expect(phase('3').dependents).toEqual(['4']);
    expect(phase('4').dependents).toEqual([]);
  });

  it('groups follow the same rules inside their phase', () => {
    const groups = resolve(`
version: 1
phases:
  - id: 1
    name: One
    groups:
      - { id: a, tasks: [${manual('a')}] }
      - { id: b, tasks: [${manual('b')}] }
      - { id: c, depends_on: [], tasks: [${manual('c')}] }
      - { id: d, depends_on: [a, c], tasks: [${manual('d')}] }
`).phases[0]!.groups;
    expect(groups.map((g) => [g.id, g.dependsOn, g.wave, g.key])).toEqual([
      ['a', [], 1, '1/a'],
      ['b', ['a'], 2, '1/b'],
      ['c', [], 1, '1/c'],
      ['d', ['a', 'c'], 2, '1/d'],
    ]);
    expect(groups[0]!.dependents).toEqual(['b', 'd']);
  });
});

describe('parallelism', () => {
  const plan = resolve(`
version: 1
defaults: { max_parallel: 3 }
phases:
  - id: 1
    name: One
    max_parallel: 2
    groups:
      - { id: wide, execution: parallel, max_parallel: 5, tasks: [${manual('w')}] }
      - { id: open, execution: parallel, tasks: [${manual('o')}] }
      - { id: narrow, execution: parallel, max_parallel: 1, tasks: [${manual('n')}] }
      - { id: seq, tasks: [${manual('s1')}, ${manual('s2')}] }
  - id: 2
    name: Two
    max_parallel: 8
    groups:
      - { id: p, execution: parallel, tasks: [${manual('p')}] }
`);
  const group = (phaseId: string, id: string) => plan.phases.find((p) => p.id === phaseId)!.groups.find((g) => g.id === id)!;

  it('a parallel group runs at most as many tasks as its phase allows', () => {
    expect(group('1', 'wide').maxParallel).toBe(2);
    expect(group('1', 'open').maxParallel).toBe(2);
    expect(group('1', 'narrow').maxParallel).toBe(1);
  });

  it('a sequential group runs one task at a time', () => {
    expect(group('1', 'seq').execution).toBe('sequential');
    expect(group('1', 'seq').maxParallel).toBe(1);
  });

  it('a phase runs at most as many tasks as the plan allows', () => {
    expect(plan.settings.maxParallel).toBe(3);
    expect(plan.phases[1]!.maxParallel).toBe(3);
    expect(group('2', 'p').maxParallel).toBe(3);
  });
});

describe('tasks', () => {
  it('keep their spec, a description from their handler, and a fingerprint that follows their definition', () => {
    const a = resolve(`version: 1\nphases:\n  - { id: 1, name: One, groups: [{ id: g, tasks: [{ id: t, type: command, run: [npm, test] }] }] }\n`);
    const b = resolve(`version: 1\nphases:\n  - { id: 1, name: One, groups: [{ id: g, tasks: [{ type: command, id: t, run: [npm, test] }] }] }\n`);
    const c = resolve(`version: 1\nphases:\n  - { id: 1, name: One, groups: [{ id: g, tasks: [{ id: t, type: command, run: [npm, run, lint] }] }] }\n`);
    const t = task(a, 't');
    expect(t).toMatchObject({ id: 't', type: 'command', phaseId: '1', groupId: 'g' });
    expect(t.description).toContain('npm test');
    expect(t.name).toBe(t.description);
    // Key order does not matter; a changed command does.
    expect(task(b, 't').fingerprint).toBe(t.fingerprint);
    expect(task(c, 't').fingerprint).not.toBe(t.fingerprint);
  });

  it('take a new fingerprint when a variable they inherit changes, and only they do', () => {
    const plan = (value: string) =>
      resolve(
        `version: 1\nphases:\n  - { id: 1, name: One, variables: { branch: ${value} }, groups: [{ id: g, tasks: [${manual('m')}] }] }\n` +
          `  - { id: 2, name: Two, groups: [{ id: g, tasks: [${manual('n')}] }] }\n`,
      );
    const before = plan('main');
    const after = plan('trunk');
    expect(task(after, 'm').fingerprint).not.toBe(task(before, 'm').fingerprint);
    expect(task(after, 'n').fingerprint).toBe(task(before, 'n').fingerprint);
  });
});
