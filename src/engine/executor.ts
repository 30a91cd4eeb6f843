/**
 * The executor: runs the selected part of a plan. Phases and groups start as
 * soon as what they depend on is done (not when a whole wave is); tasks run
 * under one global p-limit plus a limit per phase and per parallel group;
 * every attempt has a timeout and the run's abort signal; failures are
 * retried with backoff. Everything observable is an event. No UI, no disk
 * access of its own: files go through the workspace, state through listeners.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { ExitCode, UserError } from '../errors.js';
import type { Plan, PlannedGroup, PlannedPhase, PlannedTask } from '../plan/types.js';
import type { Selection } from '../plan/selection.js';
import type { Shard } from '../plan/shard.js';
import type { FileChange } from '../workspace/types.js';
import type { Workspace } from '../workspace/workspace.js';
import { runPhaseCheckpoints } from './checkpoints.js';
import { unifiedDiff } from '../workspace/diff.js';
import type { EngineEvent, EventBody, EventListener, RunCounts, TaskFinalStatus } from './events.js';
import type { HandlerParts, PromptAnswer, PromptRequest, TaskProgress } from './handler.js';
import { templateDirsFor } from '../templates/built-in.js';
import type { ChangeTracker } from './change-tracker.js';
import { Interrupted, runAttempt } from './attempt.js';
import { FileLocks } from './file-locks.js';
import { backoffDelay, sleep as realSleep } from './retry-policy.js';

/** What an earlier run left, as far as the executor cares. */
export interface PreviousState {
  /** `startedAt` (ms): when the run that finished the task started it, when known. */
  tasks: Record<string, { status: string; fingerprint: string; startedAt?: number | undefined; files?: string[] | undefined } | undefined>;
  /** Phase id -> whether its checkpoints passed in the last run that ran them. */
  checkpointsPassed: Record<string, boolean | undefined>;
}

export interface ExecuteOptions {
  runId: string;
  dryRun: boolean;
  workspace: Workspace;
  handlerFor: (type: string) => HandlerParts<never> | undefined;
  emit: EventListener;
  /** Aborts the run (Ctrl-C, SIGTERM). */
  signal: AbortSignal;
  concurrency?: number | undefined;
  sequential?: boolean | undefined;
  failFast?: boolean | undefined;
  force?: boolean | undefined;
  yes?: boolean | undefined;
  prompt?: ((request: PromptRequest) => Promise<PromptAnswer>) | undefined;
  previous?: PreviousState | undefined;
  planFile: string;
  /** Observes the working tree around tasks whose handler cannot name the files they change. */
  tracker?: ChangeTracker | undefined;
  /**
   * Called just before a handler attempt or a checkpoint command starts work,
   * so that a listener that batches events (the state store) can make every
   * event emitted so far durable first.
   */
  beforeWork?: (() => void) | undefined;
  /**
   * This run is one job of a sharded run (`run --shard i/n`): handlers that
   * split their work (`splitsWork`) do their share; the other tasks run in
   * shard 1 only and are settled as skipped in the others; no checkpoint runs
   * (they measure the whole, after `merge-results`).
   */
  shard?: Shard | undefined;
  /** Injected for tests: clock, sleep and randomness. */
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
}

export type RunStatus = 'done' | 'failed' | 'awaiting' | 'interrupted';

export interface RunResult {
  status: RunStatus;
  exitCode: number;
  counts: RunCounts;
  durationMs: number;
  /** Every file change of the run (dry run: the changes that would be made), commands' included. */
  changes: FileChange[];
}

type UnitStatus = 'done' | 'failed' | 'awaiting' | 'skipped' | 'cancelled';
/** How a task ended, as far as its dependents care. */
type TaskEnd = 'ok' | 'failed' | 'soft-failed' | 'awaiting' | 'cancelled' | 'blocked' | 'neutral';

/** Run the selection; resolves when every started piece has settled. */
export async function execute(plan: Plan, selection: Selection, options: ExecuteOptions): Promise<RunResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const started = now();
  const stop = new AbortController();
  let interrupted = false;
  const onInterrupt = () => {
    interrupted = true;
    stop.abort(new Interrupted('interrupted'));
  };
  if (options.signal.aborted) onInterrupt();
  else options.signal.addEventListener('abort', onInterrupt, { once: true });

  const emit = (event: EventBody): void =>
    options.emit({ ...event, time: now(), runId: options.runId } as EngineEvent);
  const counts: RunCounts = { total: selection.tasks.size, changed: 0, unchanged: 0, skipped: 0, awaiting: 0, failed: 0, cancelled: 0, blocked: 0, doneEarlier: 0 };
  let criticalFailure = false;
  let checkpointFailure = false;
  const global = pLimit(options.sequential ? 1 : Math.max(1, options.concurrency ?? plan.settings.maxParallel));
  const promptLock = pLimit(1);
  const prompt = options.yes
    ? async (): Promise<PromptAnswer> => 'done'
    : options.prompt
      ? (request: PromptRequest) => promptLock(() => options.prompt!(request))
      : undefined;
  const failFast = options.failFast ?? plan.settings.failFast;
  const templates = templateDirsFor(plan);
  const selectedPhases = new Set(selection.phases.map((p) => p.id));
  const trackedChanges: FileChange[] = [];
  const writers = (file: string): string[] =>
    Object.entries(options.previous?.tasks ?? {})
      .filter(([, record]) => record?.files?.includes(file))
      .map(([id]) => id);

  const allTasks = selection.phases.flatMap((p) => p.groups.flatMap((g) => g.tasks)).filter((t) => selection.tasks.has(t.id));
  emit({
    type: 'run:start',
    planFile: options.planFile,
    planHash: plan.source.sha256,
    root: plan.project.root,
    dryRun: options.dryRun,
    tasks: allTasks.map((t) => t.id),
    phases: selection.phases.map((p) => p.id),
    fingerprints: Object.fromEntries(allTasks.map((t) => [t.id, t.fingerprint])),
    pid: process.pid,
    ...(options.shard === undefined ? {} : { shard: { index: options.shard.index, count: options.shard.count } }),
  });

  const skipTask = (task: PlannedTask, reason: 'dependency-failed' | 'cancelled', detail: string): TaskEnd => {
    if (!selection.tasks.has(task.id)) return 'neutral';
    if (reason === 'cancelled') counts.cancelled++;
    else counts.blocked++;
    emit({ type: 'task:skip', taskId: task.id, reason, detail });
    return reason === 'cancelled' ? 'cancelled' : 'blocked';
  };

  const fileLocks = new FileLocks();
  const runTask = async (task: PlannedTask, groupLimit: LimitFunction, phaseLimit: LimitFunction): Promise<TaskEnd> => {
    if (!selection.tasks.has(task.id)) return 'neutral';
    const earlier = options.previous?.tasks[task.id];
    if (!options.force && earlier && (earlier.status === 'done' || earlier.status === 'skipped') && earlier.fingerprint === task.fingerprint) {
      counts.doneEarlier++;
      emit({ type: 'task:skip', taskId: task.id, reason: earlier.status === 'done' ? 'done-earlier' : 'settled', detail: earlier.status === 'done' ? 'done in an earlier run' : 'skipped by a person' });
      return 'ok';
    }
    if (stop.signal.aborted) return skipTask(task, 'cancelled', 'the run was stopped before this task started');
    const handler = options.handlerFor(task.type);
    if (!handler) throw new UserError(`no handler for task type ${task.type}`);
    const taskStarted = now();
    emit({ type: 'task:start', taskId: task.id, phaseId: task.phaseId, groupId: task.groupId });
    if (options.shard && options.shard.index > 1 && handler.splitsWork !== true) {
      // Its result is shard 1's; doing it here too would only give merge-results two copies to reconcile.
      counts.skipped++;
      const summary = `runs in shard 1 of ${options.shard.count}; this is shard ${options.shard.index}`;
      emit({ type: 'task:finish', taskId: task.id, status: 'skipped', summary, files: [], attempts: 0, durationMs: 0, fingerprint: task.fingerprint });
      return 'ok';
    }
    // A person is not retried, and nobody's answer is timed.
    const maxAttempts = task.type === 'manual' ? 1 : task.settings.retries + 1;
    // Files kept mid-task (ctx.keep) by any attempt: on disk whatever the task's end.
    const kept = new Set<string>();
    // What a program changed is known only by looking: before the first attempt and after the last.
    const observe = handler.unnamedChanges === true && !options.dryRun && options.tracker ? await options.tracker.begin(task.id) : undefined;
    const finish = async (status: TaskFinalStatus, summary: string, named: string[], attempts: number, error?: string, errorFile?: string, details?: string[]) => {
      const observed = observe ? await observe() : [];
      trackedChanges.push(...observed);
      const files = [...new Set([...kept, ...named, ...observed.map((change) => change.path)])];
      emit({
        type: 'task:finish',
        taskId: task.id,
        status,
        summary,
        ...(details && details.length > 0 ? { details } : {}),
        files,
        attempts,
        durationMs: now() - taskStarted,
        error,
        errorFile,
        fingerprint: task.fingerprint,
      });
    };

    for (let attempt = 1; ; attempt++) {
      emit({ type: 'task:attempt', taskId: task.id, attempt, maxAttempts });
      // Turns on the files it names come first, so a task waiting for one holds no slot meanwhile.
      const result = await fileLocks.hold(task.touches, () => groupLimit(() => phaseLimit(() => global(() =>
          runAttempt(task, handler, attempt, {
            root: plan.project.root,
            projectName: plan.project.name,
            templates,
            workspace: options.workspace,
            stop: stop.signal,
            prompt: task.type === 'manual' ? prompt : undefined,
            dryRun: options.dryRun,
            shard: options.shard,
            beforeWork: options.beforeWork,
            writers,
            log: (line) => emit({ type: 'task:output', taskId: task.id, line }),
            progress: (progress) => emit({ type: 'task:progress', taskId: task.id, ...progressFields(progress) }),
            kept: (files) => {
              for (const file of files) kept.add(file);
              emit({ type: 'task:keep', taskId: task.id, files });
            },
          }),
        ))));
      if (result.ok) {
        const { outcome, changes } = result;
        for (const change of changes) if (options.dryRun) emit({ type: 'task:diff', taskId: task.id, path: change.path, diff: unifiedDiff(change) });
        counts[outcome.status === 'awaiting' ? 'awaiting' : outcome.status]++;
        await finish(outcome.status, outcome.summary, outcome.files.length ? outcome.files : changes.map((c) => c.path), attempt, undefined, undefined, outcome.details);
        return outcome.status === 'awaiting' ? 'awaiting' : 'ok';
      }
      if (result.abortRun) onInterrupt();
      if (stop.signal.aborted) {
        counts.cancelled++;
        await finish('cancelled', interrupted ? 'interrupted' : 'cancelled: another task failed (fail-fast)', [], attempt, result.message);
        return 'cancelled';
      }
      if (attempt < maxAttempts && result.retryable) {
        const delayMs = backoffDelay(task.settings.backoff, attempt + 1, random);
        emit({ type: 'task:retry', taskId: task.id, attempt, maxAttempts, error: result.message, delayMs });
        try {
          await sleep(delayMs, stop.signal);
          continue;
        } catch {
          counts.cancelled++;
          await finish('cancelled', 'cancelled while waiting to retry', [], attempt, result.message);
          return 'cancelled';
        }
      }
      counts.failed++;
      await finish('failed', result.message.split('\n')[0] ?? 'failed', [], attempt, result.message, result.file);
      if (task.settings.continueOnError) return 'soft-failed';
      criticalFailure = true;
      if (failFast) stop.abort(new Interrupted('fail-fast'));
      return 'failed';
    }
  };

  const runGroup = async (phase: PlannedPhase, group: PlannedGroup, phaseLimit: LimitFunction): Promise<UnitStatus> => {
    const sequential = group.execution === 'sequential' || options.sequential === true;
    const groupLimit = pLimit(sequential ? 1 : Math.max(1, group.maxParallel));
    const selected = group.tasks.some((t) => selection.tasks.has(t.id));
    if (selected) emit({ type: 'group:start', phaseId: phase.id, groupId: group.id });
    const ends: TaskEnd[] = [];
    if (sequential) {
      let blockedBy: string | undefined;
      for (const task of group.tasks) {
        if (blockedBy) {
          ends.push(skipTask(task, stop.signal.aborted ? 'cancelled' : 'dependency-failed', blockedBy));
          continue;
        }
        const end = await runTask(task, groupLimit, phaseLimit);
        ends.push(end);
        if (end === 'failed') blockedBy = `task ${task.id} before it in group ${group.id} failed`;
        else if (end === 'awaiting') blockedBy = `task ${task.id} before it in group ${group.id} awaits a person`;
        else if (end === 'cancelled') blockedBy = 'the run was stopped';
      }
    } else {
      ends.push(...(await Promise.all(group.tasks.map((task) => runTask(task, groupLimit, phaseLimit)))));
    }
    const status = unitStatus(ends);
    if (selected) emit({ type: 'group:finish', phaseId: phase.id, groupId: group.id, status });
    return status;
  };

  const phaseRuns = new Map<string, Promise<UnitStatus>>();
  const runPhase = (phase: PlannedPhase): Promise<UnitStatus> => {
    let running = phaseRuns.get(phase.id);
    if (!running) {
      running = phaseBody(phase);
      phaseRuns.set(phase.id, running);
    }
    return running;
  };
  const byId = new Map(plan.phases.map((p) => [p.id, p]));

  const phaseBody = async (phase: PlannedPhase): Promise<UnitStatus> => {
    const depStatuses = await Promise.all(phase.dependsOn.filter((d) => selectedPhases.has(d)).map((d) => runPhase(byId.get(d)!)));
    const blocking = phase.dependsOn.filter((d) => selectedPhases.has(d)).find((_, i) => depStatuses[i] !== 'done');
    const phaseTasks = phase.groups.flatMap((g) => g.tasks);
    if (blocking !== undefined || stop.signal.aborted) {
      const detail = stop.signal.aborted ? 'the run was stopped' : `phase ${blocking} did not finish`;
      const ends = phaseTasks.map((t) => skipTask(t, stop.signal.aborted ? 'cancelled' : 'dependency-failed', detail));
      if (ends.some((e) => e !== 'neutral')) emit({ type: 'phase:finish', phaseId: phase.id, status: stop.signal.aborted ? 'cancelled' : 'skipped', durationMs: 0 });
      return stop.signal.aborted ? 'cancelled' : 'skipped';
    }
    const phaseStarted = now();
    emit({ type: 'phase:start', phaseId: phase.id });
    const phaseLimit = pLimit(Math.max(1, phase.maxParallel));
    const groupRuns = new Map<string, Promise<UnitStatus>>();
    const groupsById = new Map(phase.groups.map((g) => [g.id, g]));
    const runGroupOnce = (group: PlannedGroup): Promise<UnitStatus> => {
      let running = groupRuns.get(group.id);
      if (!running) {
        running = (async () => {
          const deps = await Promise.all(group.dependsOn.map((d) => runGroupOnce(groupsById.get(d)!)));
          const failedDep = group.dependsOn.find((_, i) => deps[i] !== 'done');
          if (failedDep !== undefined || stop.signal.aborted) {
            const detail = stop.signal.aborted ? 'the run was stopped' : `group ${failedDep} did not finish`;
            const ends = group.tasks.map((t) => skipTask(t, stop.signal.aborted ? 'cancelled' : 'dependency-failed', detail));
            return ends.every((e) => e === 'neutral') ? 'done' : stop.signal.aborted ? 'cancelled' : 'skipped';
          }
          return runGroup(phase, group, phaseLimit);
        })();
        groupRuns.set(group.id, running);
      }
      return running;
    };
    const statuses = await Promise.all(phase.groups.map(runGroupOnce));
    let status = worst(statuses);
    // A shard has done only its share: the checkpoints measure the whole, after merge-results.
    const complete = options.shard === undefined && phaseTasks.every((t) => selection.tasks.has(t.id) || isDoneEarlier(t));
    if (status === 'done' && complete && !options.dryRun && phase.checkpoints.length > 0) {
      const ranNothing = phaseTasks.every((t) => isDoneEarlier(t)) && !options.force;
      if (!(ranNothing && options.previous?.checkpointsPassed[phase.id] === true)) {
        status = await runCheckpoints(phase, workStarted(phaseTasks, phaseStarted));
      }
    }
    emit({ type: 'phase:finish', phaseId: phase.id, status, durationMs: now() - phaseStarted, ...(status === 'done' && !complete && { incomplete: true }) });
    return status;
  };

  // A report made by the phase's own work counts even when that work was done by an earlier run (a phase
  // resumed after a person's approval): the phase's work started when its earliest done task started.
  const workStarted = (tasks: readonly PlannedTask[], startedNow: number): number =>
    tasks.filter((t) => isDoneEarlier(t) && !(options.force && selection.tasks.has(t.id))).reduce((earliest, t) => Math.min(earliest, options.previous?.tasks[t.id]?.startedAt ?? earliest), startedNow);

  const isDoneEarlier = (task: PlannedTask): boolean => {
    const earlier = options.previous?.tasks[task.id];
    return !!earlier && (earlier.status === 'done' || earlier.status === 'skipped') && earlier.fingerprint === task.fingerprint;
  };

  const runCheckpoints = async (phase: PlannedPhase, since: number): Promise<UnitStatus> => {
    const status = await runPhaseCheckpoints(phase, { root: plan.project.root, since, stop: stop.signal, limit: global, now, emit, beforeWork: options.beforeWork });
    if (status === 'failed') {
      checkpointFailure = true;
      if (failFast) stop.abort(new Interrupted('fail-fast'));
    }
    return status;
  };

  try {
    await Promise.all(selection.phases.map(runPhase));
  } finally {
    options.signal.removeEventListener('abort', onInterrupt);
  }

  const status: RunStatus = interrupted ? 'interrupted' : criticalFailure || checkpointFailure ? 'failed' : counts.awaiting > 0 ? 'awaiting' : 'done';
  const exitCode = { interrupted: ExitCode.interrupted, failed: ExitCode.failed, awaiting: ExitCode.awaiting, done: ExitCode.ok }[status];
  const durationMs = now() - started;
  emit({ type: 'run:finish', status, exitCode, durationMs, counts });
  const written = options.workspace.changes();
  const byCommands = trackedChanges.filter((change) => !written.some((other) => other.path === change.path));
  return { status, exitCode, counts, durationMs, changes: [...written, ...byCommands] };
}

/** The fields of a progress report as an event carries them: whole counts, optional text only when given. */
function progressFields(progress: TaskProgress): TaskProgress {
  const count = (n: number) => (Number.isFinite(n) ? Math.max(0, Math.floor(n)) : 0);
  const fields: TaskProgress = { done: count(progress.done), total: count(progress.total) };
  if (progress.unit !== undefined) fields.unit = progress.unit;
  if (progress.current !== undefined) fields.current = progress.current;
  if (progress.detail !== undefined) fields.detail = progress.detail;
  return fields;
}

function unitStatus(ends: readonly TaskEnd[]): UnitStatus {
  if (ends.includes('cancelled')) return 'cancelled';
  if (ends.includes('failed')) return 'failed';
  if (ends.includes('awaiting')) return 'awaiting';
  if (ends.includes('blocked')) return 'skipped';
  return 'done';
}

function worst(statuses: readonly UnitStatus[]): UnitStatus {
  for (const s of ['cancelled', 'failed', 'awaiting', 'skipped'] as const) if (statuses.includes(s)) return s;
  return 'done';
}

