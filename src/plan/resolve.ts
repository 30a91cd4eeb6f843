/**
 * Config -> Plan: cascade settings, make dependencies explicit, compute waves.
 * Pure: the same config always gives the same plan.
 */
import { createHash } from 'node:crypto';
import type { BackoffConfig, GroupConfig, PhaseConfig, PlanConfig, TaskConfig } from '../config/schema.js';
import type { HandlerRegistry } from '../engine/registry.js';
import { BugError } from '../errors.js';
import { BUILTIN_DEFAULTS, type Backoff, type Plan, type PlannedGroup, type PlannedPhase, type PlannedTask, type TaskSettings } from './types.js';

interface Cascade {
  retries?: number | undefined;
  backoff?: BackoffConfig | undefined;
  timeout?: number | undefined;
  continue_on_error?: boolean | undefined;
}

export interface ResolveOptions {
  /** The plan file as named, and its hash. */
  source: { file: string; sha256: string };
  /** The target root, already resolved by the caller (`--cwd`, `project.root` or the current directory). */
  root: string;
  /** The task types the config was checked against. */
  registry: HandlerRegistry;
}

/** Resolve a validated, graph-checked config into the plan the executor runs. */
export function resolvePlan(config: PlanConfig, options: ResolveOptions): Plan {
  const defaults = config.defaults ?? {};
  const planVariables = config.variables ?? {};
  const phases: PlannedPhase[] = [];
  let previousPhase: string | undefined;
  for (const phase of config.phases) {
    const dependsOn = phase.depends_on ?? (previousPhase === undefined ? [] : [previousPhase]);
    previousPhase = phase.id;
    phases.push(resolvePhase(phase, dependsOn, [defaults], { ...planVariables }, defaults.max_parallel ?? BUILTIN_DEFAULTS.maxParallel, options.registry));
  }
  linkDependents(phases);
  const waves = assignWaves(phases);
  const projectName = config.project?.name ?? 'plan';
  for (const task of phases.flatMap((p) => p.groups.flatMap((g) => g.tasks))) fillDescription(task, projectName);
  return {
    project: { name: projectName, root: options.root },
    source: options.source,
    settings: { maxParallel: defaults.max_parallel ?? BUILTIN_DEFAULTS.maxParallel, failFast: defaults.fail_fast ?? BUILTIN_DEFAULTS.failFast },
    variables: planVariables,
    templatesDir: config.templates_dir,
    waves,
    phases,
  };
}

function resolvePhase(
  phase: PhaseConfig,
  dependsOn: string[],
  outer: Cascade[],
  variables: Record<string, unknown>,
  globalMax: number,
  registry: HandlerRegistry,
): PlannedPhase {
  const cascade = [...outer, phase];
  const phaseVariables = { ...variables, ...(phase.variables ?? {}) };
  const groups: PlannedGroup[] = [];
  let previousGroup: string | undefined;
  for (const group of phase.groups) {
    const groupDeps = group.depends_on ?? (previousGroup === undefined ? [] : [previousGroup]);
    previousGroup = group.id;
    groups.push(resolveGroup(phase.id, group, groupDeps, cascade, phaseVariables, registry));
  }
  const maxParallel = Math.min(phase.max_parallel ?? globalMax, globalMax);
  // A parallel group without its own limit is bounded by its phase's.
  for (const group of groups) group.maxParallel = Math.min(group.maxParallel, maxParallel);
  linkDependents(groups);
  assignWaves(groups);
  return {
    id: phase.id,
    name: phase.name,
    description: phase.description,
    dependsOn,
    dependents: [],
    parallelWith: phase.parallel_with ?? [],
    wave: 0,
    maxParallel,
    expectedCoverage: phase.expected_coverage,
    groups,
    checkpoints: (phase.checkpoints ?? []).map((checkpoint) => ({
      name: checkpoint.name,
      kind: checkpoint.run !== undefined ? 'run' : 'coverage',
      spec: checkpoint,
      timeoutMs: checkpoint.timeout ?? BUILTIN_DEFAULTS.checkpointTimeoutMs,
    })),
  };
}

function resolveGroup(
  phaseId: string,
  group: GroupConfig,
  dependsOn: string[],
  outer: Cascade[],
  variables: Record<string, unknown>,
  registry: HandlerRegistry,
): PlannedGroup {
  const cascade = [...outer, group];
  const groupVariables = { ...variables, ...(group.variables ?? {}) };
  const execution = group.execution ?? 'sequential';
  return {
    id: group.id,
    key: `${phaseId}/${group.id}`,
    name: group.name ?? group.id,
    phaseId,
    execution,
    maxParallel: execution === 'sequential' ? 1 : (group.max_parallel ?? Number.POSITIVE_INFINITY),
    dependsOn,
    dependents: [],
    wave: 0,
    continueOnError: group.continue_on_error ?? false,
    tasks: group.tasks.map((task) => resolveTask(phaseId, group.id, task as TaskConfig, [...cascade], groupVariables, registry)),
  };
}

function resolveTask(
  phaseId: string,
  groupId: string,
  task: TaskConfig,
  outer: Cascade[],
  inherited: Record<string, unknown>,
  registry: HandlerRegistry,
): PlannedTask {
  const handler = registry.handlerFor(task.type);
  if (!handler) throw new BugError(`no handler for validated task type ${task.type}`);
  const cascade: Cascade[] = [...outer, task];
  const description = handler.describe(task);
  const variables = { ...inherited, ...(task.variables ?? {}) };
  return {
    id: task.id,
    name: task.name ?? description,
    type: task.type,
    description,
    touches: handler.touches?.(task) ?? [],
    phaseId,
    groupId,
    settings: settingsFrom(cascade),
    variables,
    spec: task,
    // Inherited variables shape what a task does (templates, instructions), so they count as its definition.
    fingerprint: fingerprint({ task, variables }),
  };
}

/**
 * A task's one line for `plan` shows its text as it will read: `{{name}}`
 * fields the plan or the task defines (and project_name, task_id,
 * task_name) are filled in; others, known only at run time from the
 * repository, stay as written.
 */
function fillDescription(task: PlannedTask, projectName: string): void {
  const known: Record<string, unknown> = { project_name: projectName, task_id: task.id, ...task.variables };
  if (task.name !== task.description) known.task_name = task.name;
  const fill = (text: string) =>
    text.replace(/\{\{\s*([A-Za-z_][\w]*)\s*\}\}/g, (field, name: string) => {
      const value = known[name];
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : field;
    });
  const description = fill(task.description);
  if (task.name === task.description) task.name = description;
  task.description = description;
}

/** The nearest level that sets a value wins; backoff merges field by field. */
function settingsFrom(levels: readonly Cascade[]): TaskSettings {
  const pick = <K extends keyof Cascade>(key: K): Cascade[K] => {
    for (let i = levels.length - 1; i >= 0; i--) {
      const value = levels[i]?.[key];
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const backoff: Backoff = { ...BUILTIN_DEFAULTS.backoff };
  for (const level of levels) {
    const b = level.backoff;
    if (!b) continue;
    if (b.initial !== undefined) backoff.initialMs = b.initial;
    if (b.factor !== undefined) backoff.factor = b.factor;
    if (b.max !== undefined) backoff.maxMs = b.max;
    if (b.jitter !== undefined) backoff.jitter = b.jitter;
  }
  return {
    retries: pick('retries') ?? BUILTIN_DEFAULTS.retries,
    backoff,
    timeoutMs: pick('timeout') ?? BUILTIN_DEFAULTS.timeoutMs,
    continueOnError: pick('continue_on_error') ?? BUILTIN_DEFAULTS.continueOnError,
  };
}

/** A stable hash of a task's definition (key order does not matter). */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 16);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

interface Linkable {
  id: string;
  dependsOn: string[];
  dependents: string[];
  wave: number;
}

function linkDependents(nodes: Linkable[]): void {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  for (const node of nodes) for (const dep of node.dependsOn) byId.get(dep)?.dependents.push(node.id);
}

/** Longest-path layering: a node's wave is one more than its latest dependency's. Graph must be acyclic. */
function assignWaves(nodes: Linkable[]): string[][] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const memo = new Map<string, number>();
  const waveOf = (node: Linkable, depth: number): number => {
    const known = memo.get(node.id);
    if (known !== undefined) return known;
    if (depth > nodes.length) throw new BugError('cycle in a graph that passed the cycle check');
    let wave = 1;
    for (const dep of node.dependsOn) {
      const other = byId.get(dep);
      if (other) wave = Math.max(wave, waveOf(other, depth + 1) + 1);
    }
    memo.set(node.id, wave);
    return wave;
  };
  const waves: string[][] = [];
  for (const node of nodes) {
    node.wave = waveOf(node, 0);
    (waves[node.wave - 1] ??= []).push(node.id);
  }
  return waves.filter(Boolean);
}
