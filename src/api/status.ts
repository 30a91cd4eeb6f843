/**
 * `status`: where the rollout stands, from the state store: per phase, group
 * and task, with coverage expected against measured (what `orchestrate status
 * --json` prints). With `verify`, the done tasks are dry-run against today's
 * files and drift is listed.
 */
import type { ExecuteOptions } from '../engine/executor.js';
import type { EngineEvent } from '../engine/events.js';
import { foldInputFingerprints } from '../engine/input-fingerprints.js';
import { previousFromSnapshot } from '../engine/previous.js';
import type { Plan, PlannedTask } from '../plan/types.js';
import type { Snapshot } from '../state/snapshot-schema.js';
import { readStateOnly } from '../state/read-state.js';
import { loadPlan, type LoadedPlan } from './load.js';
import type { ApiWorld, PlanOptions } from './options.js';
import type { Notice } from './run.js';

export interface StatusOptions extends PlanOptions {
  /** Dry-run the done tasks against the working tree and report drift. */
  verify?: boolean | undefined;
  /** Called with warnings about the state (a damaged log, say). */
  onNotice?: ((notice: Notice) => void) | undefined;
  /** The plan, when the caller loaded it already (with loadPlan); it is not read again. */
  loaded?: LoadedPlan | undefined;
  /** Wraps the handlers `verify` dry-runs the done tasks with (to refuse what a trust level forbids, say). */
  wrapHandlers?: ((handlerFor: ExecuteOptions['handlerFor'], plan: Plan) => ExecuteOptions['handlerFor']) | undefined;
}

export type ShownStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'awaiting' | 'cancelled' | 'outdated';

export interface Drift {
  taskId: string;
  state: 'drifted' | 'unverifiable' | 'intact';
  detail: string;
}

/** The rollout's status (the shape of `orchestrate status --json`). */
export async function status(world: ApiWorld, options: StatusOptions = {}): Promise<StatusReport> {
  const { plan, registry } = options.loaded ?? (await loadPlan(world, options));
  const handlerFor = (type: string) => registry.handlerFor(type);
  await foldInputFingerprints(plan, handlerFor);
  // Read only: nothing is written (not even a state.json rebuilt from the logs), so the writing code is not loaded.
  const { snapshot, warnings } = await readStateOnly(plan.project.root);
  for (const warning of warnings) options.onNotice?.({ level: 'warning', message: warning });
  const drift = options.verify ? await verifyDrift(plan, snapshot, options.wrapHandlers ? options.wrapHandlers(handlerFor, plan) : handlerFor) : undefined;
  return buildReport(plan, snapshot, drift);
}

function taskStatus(task: PlannedTask, snapshot: Snapshot): ShownStatus {
  const record = snapshot.tasks[task.id];
  if (!record) return 'pending';
  // A decision taken before any run reached the task has no fingerprint; it stands for today's task (as in previous.ts).
  const decidedUnseen = record.fingerprint === '' && snapshot.decisions[task.id] !== undefined;
  if ((record.status === 'done' || record.status === 'skipped') && !decidedUnseen && record.fingerprint !== task.fingerprint) return 'outdated';
  return record.status;
}

function buildReport(plan: Plan, snapshot: Snapshot, drift: Drift[] | undefined) {
  const lastRun = snapshot.runs[snapshot.runs.length - 1];
  // A phase whose tasks are done is done only once its checkpoints passed after them (as `run` decides).
  const previous = previousFromSnapshot(plan, snapshot);
  const checkpointsPassed = (phaseId: string) => previous.checkpointsPassed[phaseId] !== false;
  const phases = plan.phases.map((phase) => {
    const groups = phase.groups.map((group) => ({
      id: group.id,
      name: group.name,
      execution: group.execution,
      tasks: group.tasks.map((task) => {
        const record = snapshot.tasks[task.id];
        return {
          id: task.id,
          name: task.name,
          type: task.type,
          status: taskStatus(task, snapshot),
          summary: record?.summary ?? null,
          details: record?.details ?? [],
          progress: record?.progress ?? null,
          files: record?.files ?? [],
          attempts: record?.attempts ?? 0,
          duration_ms: record?.durationMs ?? null,
          finished_at: record?.finishedAt ?? null,
          error: record?.error ?? null,
          decision: snapshot.decisions[task.id] ?? null,
          drift: drift?.find((d) => d.taskId === task.id) ?? null,
        };
      }),
    }));
    const tasks = groups.flatMap((g) => g.tasks);
    const done = tasks.filter((t) => t.status === 'done' || t.status === 'skipped').length;
    const checkpoints = snapshot.checkpoints[phase.id] ?? [];
    const measured = [...checkpoints].reverse().find((c) => c.coverage)?.coverage ?? null;
    const status: ShownStatus =
      tasks.some((t) => t.status === 'running') ? 'running'
      : tasks.some((t) => t.status === 'failed') || checkpoints.some((c) => !c.passed) ? 'failed'
      : tasks.some((t) => t.status === 'awaiting') ? 'awaiting'
      : done === tasks.length && checkpointsPassed(phase.id) ? 'done'
      : 'pending';
    return {
      id: phase.id,
      name: phase.name,
      status,
      done,
      total: tasks.length,
      expected_coverage: phase.expectedCoverage ?? null,
      measured_coverage: measured,
      checkpoints: checkpoints.map((c) => ({ name: c.name, passed: c.passed, detail: c.detail, time: c.time })),
      depends_on: phase.dependsOn,
      /** Phases it depends on that are not done now (a rerun of one failed): set on a done phase. */
      waiting_on: [] as string[],
      groups,
    };
  });
  const statusOf = new Map(phases.map((p) => [p.id, p.status]));
  for (const phase of phases) {
    if (phase.status === 'done') phase.waiting_on = phase.depends_on.filter((id) => statusOf.get(id) !== 'done');
  }
  return {
    project: plan.project.name,
    root: plan.project.root,
    plan_file: plan.source.file,
    plan_changed: snapshot.planHash !== '' && snapshot.planHash !== plan.source.sha256,
    last_run: lastRun ? { id: lastRun.id, status: lastRun.status, started_at: lastRun.startedAt, finished_at: lastRun.finishedAt ?? null } : null,
    runs: snapshot.runs.length,
    phases,
    drift: drift ?? null,
  };
}

export type StatusReport = ReturnType<typeof buildReport>;

/** Dry-run every done task against today's files: a task that would change something again has drifted. */
export async function verifyDrift(plan: Plan, snapshot: Snapshot, handlers: ExecuteOptions['handlerFor']): Promise<Drift[]> {
  const done = plan.phases.flatMap((p) => p.groups.flatMap((g) => g.tasks)).filter((t) => snapshot.tasks[t.id]?.status === 'done');
  if (done.length === 0) return [];
  const events: EngineEvent[] = [];
  // The executor and the workspace load only for --verify: a plain status reads the state alone.
  const [{ execute }, { Workspace }] = await Promise.all([import('../engine/executor.js'), import('../workspace/workspace.js')]);
  const workspace = await Workspace.open(plan.project.root, { dryRun: true });
  await execute(
    plan,
    { phases: plan.phases.filter((p) => p.groups.some((g) => g.tasks.some((t) => done.includes(t)))), tasks: new Set(done.map((t) => t.id)), addedDependencies: [] },
    {
      runId: 'verify',
      dryRun: true,
      workspace,
      handlerFor: handlers,
      emit: (event) => events.push(event),
      signal: new AbortController().signal,
      force: true,
      planFile: plan.source.file,
    },
  );
  return done.map((task): Drift => {
    const finish = events.find((e): e is Extract<EngineEvent, { type: 'task:finish' }> => e.type === 'task:finish' && e.taskId === task.id);
    if (!finish) return { taskId: task.id, state: 'unverifiable', detail: 'was not checked' };
    if (finish.status === 'failed') return { taskId: task.id, state: 'unverifiable', detail: finish.error?.split('\n')[0] ?? 'check failed' };
    if (finish.status === 'skipped') return { taskId: task.id, state: 'unverifiable', detail: `${task.type} tasks cannot be checked without running them` };
    if (finish.status === 'changed' && finish.files.length > 0) return { taskId: task.id, state: 'drifted', detail: `would change ${finish.files.join(', ')} again` };
    return { taskId: task.id, state: 'intact', detail: 'in place' };
  });
}
