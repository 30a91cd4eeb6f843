/**
 * The snapshot as a fold over events: `reduce` is pure, so `state.json` is
 * only ever a cache of what the run logs say and can be rebuilt from them at
 * any time. This module does no I/O; store.ts reads and writes.
 */
import type { EngineEvent, EventOf, TaskFinalStatus } from '../engine/events.js';
import { emptySnapshot } from './empty-snapshot.js';
import type {
  RunRecord,
  Snapshot,
  TaskRecord,
  TaskStatus,
} from './snapshot-schema.js';

export { emptySnapshot } from './empty-snapshot.js';
export type { Snapshot } from './snapshot-schema.js';

/** Events after which the caller should persist the snapshot. */
export const persistedEventTypes: ReadonlySet<EngineEvent['type']> = new Set([
  'run:start',
  'task:finish',
  'task:keep',
  'checkpoint:finish',
  'decision',
  'run:finish',
]);

const INTERRUPTED = 'interrupted: the run stopped before this task finished';

/** Fold one event into the snapshot, returning a new one (the input is not changed). */
export function reduce(snapshot: Snapshot, event: EngineEvent): Snapshot {
  return fold(snapshot, event, COPY);
}

/**
 * Fold one event into a snapshot the caller owns outright, updating its task
 * map in place: copying a map of n tasks for each event makes a run of n
 * tasks quadratic.
 */
export function reduceInPlace(snapshot: Snapshot, event: EngineEvent): Snapshot {
  return fold(snapshot, event, IN_PLACE);
}

/** How a fold changes the snapshot: by copies (pure) or in place (the caller owns it). */
interface FoldMode {
  /** The snapshot with `task` as the record of `taskId`. */
  withTask(snapshot: Snapshot, event: EngineEvent, taskId: string, task: TaskRecord): Snapshot;
  /** The snapshot with some fields of the running task's record changed. */
  patchTask(snapshot: Snapshot, event: EngineEvent, taskId: string, task: TaskRecord, fields: Partial<TaskRecord>): Snapshot;
}

const COPY: FoldMode = {
  withTask: withTaskCopy,
  patchTask: (snapshot, event, taskId, task, fields) => withTaskCopy(snapshot, event, taskId, { ...task, ...fields }),
};

const IN_PLACE: FoldMode = {
  withTask: withTaskInPlace,
  // The record of a task running in this run was made by this fold (task:start), so nobody else holds it.
  patchTask: (snapshot, event, _taskId, task, fields) => {
    Object.assign(task, fields);
    snapshot.updatedAt = iso(event.time);
    return snapshot;
  },
};

function fold(snapshot: Snapshot, event: EngineEvent, mode: FoldMode): Snapshot {
  const { withTask } = mode;
  if (event.type === 'decision') return applyDecision(snapshot, event);
  if (event.type === 'run:start') {
    // Dry runs change nothing on disk, so they leave no trace in the state.
    if (event.dryRun || snapshot.runs.some((run) => run.id === event.runId)) return snapshot;
    const run: RunRecord = { id: event.runId, startedAt: iso(event.time), status: 'running', dryRun: false, pid: event.pid };
    return { ...snapshot, planHash: event.planHash, updatedAt: iso(event.time), runs: [...snapshot.runs, run] };
  }
  // Events of a run we did not see start (a dry run, or a log missing its head) are ignored.
  // The run is nearly always the latest one: look there before searching them all.
  if (snapshot.runs.at(-1)?.id !== event.runId && !snapshot.runs.some((run) => run.id === event.runId)) return snapshot;
  switch (event.type) {
    case 'task:start': {
      const previous = snapshot.tasks[event.taskId];
      const record: TaskRecord = {
        status: 'running',
        summary: '',
        // What an unfinished earlier run kept is still in the working tree and still this task's.
        files: previous && (previous.status === 'failed' || previous.status === 'cancelled' || previous.status === 'running') ? [...previous.files] : [],
        attempts: 0,
        durationMs: 0,
        lastRunId: event.runId,
        fingerprint: previous?.fingerprint ?? '',
      };
      return withTask(snapshot, event, event.taskId, record);
    }
    case 'task:attempt': {
      const current = snapshot.tasks[event.taskId];
      if (current?.status !== 'running' || current.lastRunId !== event.runId) return snapshot;
      return mode.patchTask(snapshot, event, event.taskId, current, { attempts: event.attempt });
    }
    case 'task:progress': {
      const current = snapshot.tasks[event.taskId];
      if (current?.status !== 'running' || current.lastRunId !== event.runId) return snapshot;
      const progress = { done: event.done, total: event.total, ...(event.unit === undefined ? {} : { unit: event.unit }), ...(event.current === undefined ? {} : { current: event.current }) };
      return mode.patchTask(snapshot, event, event.taskId, current, { progress });
    }
    case 'task:keep': {
      const current = snapshot.tasks[event.taskId];
      if (current?.status !== 'running' || current.lastRunId !== event.runId) return snapshot;
      return mode.patchTask(snapshot, event, event.taskId, current, { files: union(current.files, event.files) });
    }
    case 'task:finish': {
      const current = snapshot.tasks[event.taskId];
      const record = finishedTask(event);
      // Files carried over from an unfinished earlier run stay the task's even when this run found them done.
      if (current?.status === 'running' && current.lastRunId === event.runId && current.files.length > 0) record.files = union(current.files, record.files);
      return withTask(snapshot, event, event.taskId, record);
    }
    case 'checkpoint:finish':
      return applyCheckpoint(snapshot, event);
    case 'run:finish': {
      const runs = snapshot.runs.map((run) =>
        run.id === event.runId ? { ...run, status: event.status, finishedAt: iso(event.time) } : run,
      );
      // The engine settles every task before run:finish; this covers it if it did not.
      return { ...cancelRunning(snapshot, event.runId, iso(event.time)), runs, updatedAt: iso(event.time) };
    }
    default:
      // Progress, output, diffs, retries, skips and phase/group events do not change what is settled.
      return snapshot;
  }
}

/**
 * Mark runs that show `running` but are not live (their process died) as
 * interrupted, and their running tasks as cancelled.
 */
export function settleInterrupted(snapshot: Snapshot, isLive: (run: RunRecord) => boolean = () => false): Snapshot {
  const dead = snapshot.runs.filter((run) => run.status === 'running' && !isLive(run));
  if (dead.length === 0) return snapshot;
  let next: Snapshot = {
    ...snapshot,
    runs: snapshot.runs.map((run) => (dead.includes(run) ? { ...run, status: 'interrupted' } : run)),
  };
  for (const run of dead) next = cancelRunning(next, run.id, undefined);
  return next;
}

/**
 * The snapshot the given run logs (oldest first) describe. A run with no
 * `run:finish` reads as interrupted unless `isLive` says its process still runs.
 */
export function snapshotFromLogs(
  logs: Iterable<readonly EngineEvent[]>,
  isLive?: (run: RunRecord) => boolean,
): Snapshot {
  let snapshot = emptySnapshot();
  // The fresh snapshot is ours alone, so folding in place is safe (and linear).
  for (const events of logs) for (const event of events) snapshot = reduceInPlace(snapshot, event);
  return settleInterrupted(snapshot, isLive);
}

function finishedTask(event: EventOf<'task:finish'>): TaskRecord {
  const record: TaskRecord = {
    status: finalStatus(event.status),
    summary: event.summary,
    files: [...event.files],
    attempts: event.attempts,
    durationMs: event.durationMs,
    lastRunId: event.runId,
    finishedAt: iso(event.time),
    fingerprint: event.fingerprint,
  };
  if (event.details !== undefined && event.details.length > 0) record.details = [...event.details];
  if (event.status !== 'failed' && event.status !== 'cancelled') record.outcome = event.status;
  if (event.error !== undefined) record.error = event.error;
  if (event.errorFile !== undefined) record.errorFile = event.errorFile;
  return record;
}

function finalStatus(status: TaskFinalStatus): TaskStatus {
  switch (status) {
    case 'changed':
    case 'unchanged':
    case 'skipped':
      return 'done';
    default:
      return status;
  }
}

function applyCheckpoint(snapshot: Snapshot, event: EventOf<'checkpoint:finish'>): Snapshot {
  const entry = {
    name: event.name,
    passed: event.passed,
    detail: event.detail,
    ...(event.coverage === undefined ? {} : { coverage: { ...event.coverage } }),
    ...(event.expected === undefined ? {} : { expected: { ...event.expected } }),
    time: iso(event.time),
    runId: event.runId,
  };
  const list = snapshot.checkpoints[event.phaseId] ?? [];
  // Status shows where each checkpoint stands now, so a newer result replaces the older one.
  const index = list.findIndex((checkpoint) => checkpoint.name === event.name);
  const next = index === -1 ? [...list, entry] : list.map((checkpoint, i) => (i === index ? entry : checkpoint));
  return { ...snapshot, updatedAt: iso(event.time), checkpoints: { ...snapshot.checkpoints, [event.phaseId]: next } };
}

function applyDecision(snapshot: Snapshot, event: EventOf<'decision'>): Snapshot {
  const time = iso(event.time);
  const decision = { decision: event.decision, by: event.by, ...(event.note === undefined ? {} : { note: event.note }), time };
  const previous = snapshot.tasks[event.taskId];
  const approved = event.decision === 'approved';
  const task: TaskRecord = {
    status: approved ? 'done' : 'skipped',
    outcome: approved ? 'changed' : 'skipped',
    summary: `${approved ? 'approved' : 'skipped'} by ${event.by}${event.note === undefined ? '' : `: ${event.note}`}`,
    files: previous?.files ?? [],
    attempts: previous?.attempts ?? 0,
    durationMs: previous?.durationMs ?? 0,
    lastRunId: event.runId,
    finishedAt: time,
    fingerprint: previous?.fingerprint ?? '',
  };
  return {
    ...withTaskCopy(snapshot, event, event.taskId, task),
    decisions: { ...snapshot.decisions, [event.taskId]: decision },
  };
}

function cancelRunning(snapshot: Snapshot, runId: string, finishedAt: string | undefined): Snapshot {
  const entries = Object.entries(snapshot.tasks);
  if (!entries.some(([, task]) => task.status === 'running' && task.lastRunId === runId)) return snapshot;
  const tasks: Record<string, TaskRecord> = {};
  for (const [id, task] of entries) {
    const stuck = task.status === 'running' && task.lastRunId === runId;
    tasks[id] = stuck
      ? { ...task, status: 'cancelled', error: INTERRUPTED, ...(finishedAt === undefined ? {} : { finishedAt }) }
      : task;
  }
  return { ...snapshot, tasks };
}

function withTaskCopy(snapshot: Snapshot, event: EngineEvent, taskId: string, task: TaskRecord): Snapshot {
  return { ...snapshot, updatedAt: iso(event.time), tasks: { ...snapshot.tasks, [taskId]: task } };
}

function withTaskInPlace(snapshot: Snapshot, event: EngineEvent, taskId: string, task: TaskRecord): Snapshot {
  snapshot.tasks[taskId] = task;
  snapshot.updatedAt = iso(event.time);
  return snapshot;
}

/** The paths of both lists, each once, in the order first seen. */
function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

let lastTime = Number.NaN;
let lastIso = '';

/** ISO time of an event; a time out of Date's range (a damaged log) must not throw. */
function iso(time: number): string {
  // Events come many to a millisecond, and formatting a date is a large part of folding one.
  if (time === lastTime) return lastIso;
  const date = new Date(time);
  lastIso = Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
  lastTime = time;
  return lastIso;
}
