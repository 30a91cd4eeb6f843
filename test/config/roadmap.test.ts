/**
 * The shipped roadmap (config/phases.yaml): it validates against the schema and
 * keeps the shape the product was made for: 6 phases, 14 groups, 61 tasks,
 * coverage promises of 25 / 60 / 80 %, and phase 4 running alongside 2 and 3.
 */
import { builtInRegistry } from '../../handlers/built-in.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NAMED_ACTIONS } from '../../handlers/config-edit/schema.js';
import { renderDiagnostic } from '../../src/config/diagnostics.js';
import { ConfigError } from '../../src/errors.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { Plan, PlannedPhase, PlannedTask } from '../../src/plan/types.js';

const CONFIG = 'config/phases.yaml';
const repoRoot = path.resolve(import.meta.dirname, '../..');

let plan: Plan | undefined;
let loadProblem = '';

beforeAll(async () => {
  try {
    ({ plan } = await loadPlan({ config: CONFIG, processCwd: repoRoot }, builtInRegistry()));
  } catch (error) {
    loadProblem =
      error instanceof ConfigError
        ? `${CONFIG} does not validate:\n\n${error.diagnostics.map(renderDiagnostic).join('\n\n')}`
        : `${CONFIG} could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
  }
});

function loaded(): Plan {
  if (!plan) throw new Error(loadProblem || `${CONFIG} was not loaded`);
  return plan;
}

function phase(id: string): PlannedPhase {
  const found = loaded().phases.find((p) => p.id === id);
  if (!found) throw new Error(`phase ${id} is missing from ${CONFIG}`);
  return found;
}

const tasksOf = (p: PlannedPhase): PlannedTask[] => p.groups.flatMap((g) => g.tasks);
const allTasks = (): PlannedTask[] => loaded().phases.flatMap(tasksOf);

describe('config/phases.yaml (the roadmap)', () => {
  it('starts with the yaml-language-server schema comment', async () => {
    const text = await readFile(path.join(repoRoot, CONFIG), 'utf8');
    expect(text.split(/\r?\n/)[0]).toBe('# yaml-language-server: $schema=../schema/phases.schema.json');
  });

  it('validates against the schema and the graph checks', () => {
    expect(plan, loadProblem).toBeDefined();
  });

  it('targets the demo monorepo', () => {
    const p = loaded();
    expect(p.project.name).toBe('demo-monorepo');
    expect(p.project.root).toBe(path.resolve(repoRoot, 'examples/demo-monorepo'));
  });

  it('has 6 phases, 14 groups and 61 tasks', () => {
    const p = loaded();
    expect(p.phases.map((ph) => ph.id)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(p.phases.flatMap((ph) => ph.groups)).toHaveLength(14);
    expect(allTasks()).toHaveLength(61);
  });

  it.each([
    ['1', 'Foundation', 2, 7],
    ['2', 'Critical services', 2, 10],
    ['3', 'Routes and integration', 2, 10],
    ['4', 'CI/CD architecture', 3, 14],
    ['5', 'Extended coverage', 3, 12],
    ['6', 'Production readiness', 2, 8],
  ])('phase %s "%s" has %i groups and %i tasks', (id, name, groups, tasks) => {
    const ph = phase(id);
    expect(ph.name).toBe(name);
    expect(ph.groups).toHaveLength(groups);
    expect(tasksOf(ph)).toHaveLength(tasks);
  });

  it('names every phase, group and task, and task ids follow the phase', () => {
    for (const ph of loaded().phases) {
      expect(ph.name.trim()).not.toBe('');
      for (const group of ph.groups) {
        expect(group.name, `group ${group.key} has no name`).not.toBe(group.id);
        for (const task of group.tasks) {
          expect(task.spec.name, `task ${task.id} has no name`).toBeTruthy();
          expect(task.id).toMatch(new RegExp(`^${ph.id}\\.\\d+$`));
        }
      }
    }
  });

  it('phase 2 runs 6 service tests in parallel (3 at once), then 4 security tests in order', () => {
    const [services, security] = phase('2').groups;
    expect(services?.execution).toBe('parallel');
    expect(services?.maxParallel).toBe(3);
    expect(services?.tasks).toHaveLength(6);
    expect(services?.tasks.every((t) => t.type === 'test_generation')).toBe(true);
    expect(security?.execution).toBe('sequential');
    expect(security?.tasks).toHaveLength(4);
    expect(security?.dependsOn).toEqual([services?.id]);
  });

  it('phase 3 has 6 route tests in parallel and 4 service gap closures', () => {
    const [routes, gaps] = phase('3').groups;
    expect(routes?.execution).toBe('parallel');
    expect(routes?.tasks).toHaveLength(6);
    expect(routes?.tasks.every((t) => t.type === 'test_generation' && 'template' in t.spec && t.spec.template === 'route')).toBe(true);
    expect(gaps?.tasks).toHaveLength(4);
  });

  it('uses every named rollout action of config_edit at least once', () => {
    const used = new Set(allTasks().flatMap((t) => (t.type === 'config_edit' && 'action' in t.spec ? [String(t.spec.action)] : [])));
    // The hardening actions are what `orchestrate init` proposes for a repository's own workflows; the corpus tests prove them.
    const hardening = ['pin_actions', 'set_permissions', 'add_concurrency', 'set_timeout_minutes'];
    const rollout = NAMED_ACTIONS.filter((action) => !hardening.includes(action));
    expect(rollout).toHaveLength(12);
    expect(NAMED_ACTIONS).toEqual(expect.arrayContaining(hardening));
    for (const action of rollout) expect(used, `action ${action} is not used`).toContain(action);
  });

  it('uses all five task types', () => {
    const types = new Set(allTasks().map((t) => t.type));
    expect([...types].sort()).toEqual(['command', 'config_edit', 'file_generation', 'manual', 'test_generation']);
  });

  it('phase 4 depends on phase 1 only and runs alongside phases 2 and 3', () => {
    const ph = phase('4');
    expect(ph.dependsOn).toEqual(['1']);
    expect(ph.parallelWith).toEqual(['2', '3']);
    expect(ph.groups.map((g) => g.name)).toEqual(['Deployment implementation', 'Pipeline improvements', 'Security compliance']);
  });

  it('phases 5 and 6 wait for the work they build on', () => {
    expect(phase('5').dependsOn).toEqual(expect.arrayContaining(['3']));
    expect(phase('6').dependsOn).toEqual(expect.arrayContaining(['4', '5']));
  });

  it('promises 25 % / 60 % / 80 % line coverage after phases 1, 3 and 5', () => {
    const promised = Object.fromEntries(loaded().phases.map((ph) => [ph.id, ph.expectedCoverage?.lines]));
    expect(promised).toEqual({ '1': 25, '2': undefined, '3': 60, '4': undefined, '5': 80, '6': undefined });
  });

  it('checks the promised coverage at each promising phase, after running the tests', () => {
    for (const id of ['1', '3', '5']) {
      const ph = phase(id);
      const kinds = ph.checkpoints.map((c) => c.kind);
      expect(kinds.indexOf('run'), `phase ${id} runs the tests before checking coverage`).toBeLessThan(kinds.indexOf('coverage'));
      const coverage = ph.checkpoints.find((c) => c.spec.coverage?.summary === 'coverage/coverage-summary.json');
      expect(coverage?.spec.coverage?.min.lines).toBe(ph.expectedCoverage?.lines);
    }
  });

  it('lays phases out in waves with phase 4 alongside phase 2', () => {
    const p = loaded();
    expect(p.waves).toEqual([['1'], ['2', '4'], ['3'], ['5'], ['6']]);
    expect(phase('4').wave).toBe(phase('2').wave);
  });

  it('applies the plan defaults: 2 retries, exponential backoff, 10 minute timeout, 4 at once', () => {
    const p = loaded();
    expect(p.settings).toEqual({ maxParallel: 4, failFast: false });
    expect(p.variables).toMatchObject({ test_framework: 'jest', node_version: '20' });
    const firstTask = tasksOf(phase('1'))[0];
    expect(firstTask?.settings).toEqual({
      retries: 2,
      backoff: { initialMs: 1_000, factor: 2, maxMs: 30_000, jitter: true },
      timeoutMs: 10 * 60_000,
      continueOnError: false,
    });
  });
});
