/**
 * `orchestrate status`: where the rollout stands, from the state store: per
 * phase, group and task, with coverage expected against measured.
 * `--verify` dry-runs the done tasks against today's files and lists drift.
 */
import { formatDuration } from '../../config/duration.js';
import { execute, type ExecuteOptions } from '../../engine/executor.js';
import type { EngineEvent } from '../../engine/events.js';
import { previousFromSnapshot } from '../../engine/previous.js';
import { foldInputFingerprints } from '../../engine/input-fingerprints.js';
import { loadPlan } from '../../plan/load-plan.js';
import { coverageText } from '../../plan/render/plan-tree.js';
import type { Plan, PlannedTask } from '../../plan/types.js';
import { StateStore } from '../../state/store.js';
import type { Snapshot } from '../../state/snapshot-schema.js';
import { progressText } from '../../ui/progress-text.js';
import { Workspace } from '../../workspace/workspace.js';
import type { CliIo } from '../io.js';
import type { CliContext } from '../context.js';
import type { GlobalOptions } from '../main.js';

interface StatusArgs extends GlobalOptions {
  json: boolean;
  verify: boolean;
}

type ShownStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'awaiting' | 'cancelled' | 'outdated';

export interface Drift {
  taskId: string;
  state: 'drifted' | 'unverifiable' | 'intact';
  detail: string;
}

/** Print the status. */
export async function statusCommand(args: StatusArgs, io: CliIo, context: CliContext): Promise<number> {
  const { plan, registry } = await loadPlan({ config: args.config, cwd: args.cwd, processCwd: io.cwd }, await context.builtIns());
  const handlerFor = (type: string) => registry.handlerFor(type);
  await foldInputFingerprints(plan, handlerFor);
  const store = StateStore.open(plan.project.root);
  for (const warning of store.warnings) io.stderr.write(`${io.err.yellow('warning:')} ${warning}\n`);
  const snapshot = store.snapshot;
  const drift = args.verify ? await verifyDrift(plan, snapshot, handlerFor) : undefined;
  const report = buildReport(plan, snapshot, drift);
  if (args.json) {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  io.stdout.write(renderReport(report, io, args.verbose));
  return 0;
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

type Report = ReturnType<typeof buildReport>;

const MARK: Record<ShownStatus, string> = {
  pending: '·',
  running: '▸',
  done: '✓',
  failed: '✗',
  skipped: '-',
  awaiting: '…',
  cancelled: '■',
  outdated: '↻',
};

function renderReport(report: Report, io: CliIo, verbose: boolean): string {
  const s = io.out;
  const colour = (status: ShownStatus, text: string) =>
    status === 'done' ? s.green(text) : status === 'failed' ? s.red(text) : status === 'awaiting' || status === 'outdated' || status === 'cancelled' ? s.yellow(text) : status === 'running' ? s.cyan(text) : s.dim(text);
  const out: string[] = [];
  out.push(`${s.bold(report.project)}  ${s.dim(`${report.plan_file} -> ${report.root}`)}`);
  if (report.last_run) {
    out.push(`Last run ${report.last_run.id}: ${report.last_run.status}${report.last_run.finished_at ? ` at ${report.last_run.finished_at}` : ''} ${s.dim(`(${report.runs} run${report.runs === 1 ? '' : 's'})`)}`);
  } else out.push(s.dim('No run yet.'));
  if (report.plan_changed) out.push(s.yellow('The plan changed since the last run: tasks marked ↻ will run again.'));
  for (const phase of report.phases) {
    out.push('');
    const expected = coverageText(phase.expected_coverage ?? undefined);
    const measured = phase.measured_coverage
      ? (['lines', 'statements', 'functions', 'branches'] as const).filter((k) => phase.measured_coverage?.[k] !== undefined).map((k) => `${k} ${phase.measured_coverage![k]}%`).join(', ')
      : undefined;
    const coverage = expected || measured ? s.dim(`  coverage: ${measured ?? 'not measured'}${expected ? ` (expected ${expected})` : ''}`) : '';
    // Done once, but what it builds on is not done any more: it is not finished business.
    const waiting = phase.waiting_on.length ? s.yellow(`  (phase ${phase.waiting_on.join(', ')} it depends on is not done now)`) : '';
    out.push(`${colour(phase.status, MARK[phase.status])} ${s.bold(`Phase ${phase.id} ${phase.name}`)}  ${colour(phase.status, phase.status)} ${phase.done}/${phase.total}${coverage}${waiting}`);
    for (const cp of phase.checkpoints) out.push(`    ${cp.passed ? s.green('✓') : s.red('✗')} checkpoint ${cp.name}: ${cp.detail.split('\n')[0]}`);
    // A phase nothing has touched yet is one line, not its whole task list (--verbose lists it).
    if (!verbose && phase.groups.every((g) => g.tasks.every((t) => t.status === 'pending'))) {
      out.push(s.dim(`  ${phase.total} task${phase.total === 1 ? '' : 's'} pending in ${phase.groups.length} group${phase.groups.length === 1 ? '' : 's'}`));
      continue;
    }
    for (const group of phase.groups) {
      const done = group.tasks.filter((t) => t.status === 'done' || t.status === 'skipped').length;
      out.push(`  group ${group.id}${group.name !== group.id ? ` ${group.name}` : ''} ${s.dim(`[${group.execution}] ${done}/${group.tasks.length}`)}`);
      for (const task of group.tasks) {
        const facts = [
          task.attempts > 1 ? `${task.attempts} attempts` : undefined,
          // A running task's record has no duration yet.
          task.duration_ms !== null && task.status !== 'running' ? formatDuration(task.duration_ms) : undefined,
          task.finished_at ?? undefined,
        ].filter(Boolean);
        // How far a running task, or one a run stopped, has got.
        const reached = task.progress && task.status !== 'done' ? progressText(task.progress) : '';
        const said = task.status === 'failed' ? s.red(task.error?.split('\n')[0] ?? '') : task.decision ? `${task.decision.decision} by ${task.decision.by}` : (task.summary ?? '');
        const detail = [reached, said].filter((part) => part !== '').join('  ');
        const drift = task.drift && task.drift.state !== 'intact' ? s.yellow(` [${task.drift.state}: ${task.drift.detail}]`) : '';
        out.push(`    ${colour(task.status, MARK[task.status])} ${task.id} ${task.name}  ${colour(task.status, task.status)}${detail ? `  ${detail}` : ''}${facts.length ? s.dim(`  (${facts.join(', ')})`) : ''}${drift}`);
        if (verbose) for (const line of task.details) out.push(`        ${s.dim(line)}`);
      }
    }
  }
  if (report.drift) out.push('', ...verifySummary(report.drift, s));
  return `${out.join('\n')}\n`;
}

/** What `--verify` found, counted exactly: checked, in place, drifted, and what could not be checked and why. */
function verifySummary(drift: readonly Drift[], s: CliIo['out']): string[] {
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const intact = drift.filter((d) => d.state === 'intact');
  const drifted = drift.filter((d) => d.state === 'drifted');
  const unverifiable = drift.filter((d) => d.state === 'unverifiable');
  const checked = intact.length + drifted.length;
  const lines = [`Verified ${checked} of ${count(drift.length, 'done task')}: ${intact.length} in place, ${drifted.length} drifted; ${unverifiable.length} could not be checked.`];
  if (drifted.length) lines.push(s.yellow(`Drift: ${count(drifted.length, 'done task')} whose changes are no longer in the working tree: ${drifted.map((d) => d.taskId).join(', ')}`));
  else if (checked > 0) lines.push(s.green(`No drift in the ${count(checked, 'task')} checked.`));
  // Grouped by reason, so that forty command tasks take one line.
  const reasons = new Map<string, string[]>();
  for (const d of unverifiable) reasons.set(d.detail, [...(reasons.get(d.detail) ?? []), d.taskId]);
  for (const [reason, ids] of reasons) lines.push(s.dim(`  not checked: ${ids.join(', ')} (${reason})`));
  return lines;
}

/** Dry-run every done task against today's files: a task that would change something again has drifted. */
export async function verifyDrift(plan: Plan, snapshot: Snapshot, handlers: ExecuteOptions['handlerFor']): Promise<Drift[]> {
  const done = plan.phases.flatMap((p) => p.groups.flatMap((g) => g.tasks)).filter((t) => snapshot.tasks[t.id]?.status === 'done');
  if (done.length === 0) return [];
  const events: EngineEvent[] = [];
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
