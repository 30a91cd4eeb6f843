/**
 * The JSON shape of `orchestrate plan --format json`: stable, documented in
 * docs/plan-json.md, derived from the same Plan the executor runs. Field names
 * are snake_case like phases.yaml; durations are milliseconds.
 */
import type { Plan, PlannedGroup, PlannedPhase, PlannedTask } from '../types.js';

export const PLAN_JSON_VERSION = 1;

/** The plan as plain JSON data. */
export function planToJson(plan: Plan, phases: readonly PlannedPhase[] = plan.phases): Record<string, unknown> {
  const groups = phases.flatMap((p) => p.groups);
  const tasks = groups.flatMap((g) => g.tasks);
  return {
    format_version: PLAN_JSON_VERSION,
    project: { name: plan.project.name, root: plan.project.root },
    source: { file: plan.source.file, sha256: plan.source.sha256 },
    settings: { max_parallel: plan.settings.maxParallel, fail_fast: plan.settings.failFast },
    totals: { phases: phases.length, groups: groups.length, tasks: tasks.length },
    waves: plan.waves
      .map((ids, i) => ({ wave: i + 1, phases: ids.filter((id) => phases.some((p) => p.id === id)) }))
      .filter((w) => w.phases.length > 0),
    phases: phases.map(phaseJson),
  };
}

function phaseJson(phase: PlannedPhase): Record<string, unknown> {
  return {
    id: phase.id,
    name: phase.name,
    description: phase.description ?? null,
    wave: phase.wave,
    depends_on: phase.dependsOn,
    dependents: phase.dependents,
    parallel_with: phase.parallelWith,
    max_parallel: phase.maxParallel,
    expected_coverage: phase.expectedCoverage ?? null,
    groups: phase.groups.map(groupJson),
    checkpoints: phase.checkpoints.map((c) => ({
      name: c.name,
      kind: c.kind,
      run: c.spec.run ?? null,
      shell: c.spec.shell ?? false,
      expect_exit_code: c.spec.expect_exit_code ?? 0,
      coverage: c.spec.coverage ?? null,
      timeout_ms: c.timeoutMs,
    })),
  };
}

function groupJson(group: PlannedGroup): Record<string, unknown> {
  return {
    id: group.id,
    key: group.key,
    name: group.name,
    execution: group.execution,
    max_parallel: group.maxParallel,
    wave: group.wave,
    depends_on: group.dependsOn,
    dependents: group.dependents,
    tasks: group.tasks.map(taskJson),
  };
}

function taskJson(task: PlannedTask): Record<string, unknown> {
  const s = task.settings;
  return {
    id: task.id,
    name: task.name,
    type: task.type,
    description: task.description,
    touches: task.touches,
    fingerprint: task.fingerprint,
    // A person is asked once and not timed: a manual task's retries and timeout do not apply.
    settings: {
      retries: task.type === 'manual' ? 0 : s.retries,
      max_attempts: task.type === 'manual' ? 1 : s.retries + 1,
      timeout_ms: task.type === 'manual' ? null : s.timeoutMs,
      continue_on_error: s.continueOnError,
      backoff: { initial_ms: s.backoff.initialMs, factor: s.backoff.factor, max_ms: s.backoff.maxMs, jitter: s.backoff.jitter },
    },
  };
}
