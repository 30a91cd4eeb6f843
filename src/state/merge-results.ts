/**
 * `merge-results`: joins the results of the jobs of a sharded run (`run
 * --shard i/n`, see shard-bundle.ts) into the target, so that `status` and
 * the next `run` see one run. After every check (merge-checks.ts) passes it
 * writes the files the shards wrote, then records one run in the target's
 * state: a run log whose `run:start` names the shard runs it joins, and one
 * `task:finish` per task. A task split over the shards gets the union of
 * their files, the worst of their statuses and their summaries; any other
 * task is taken from shard 1, where it ran. No checkpoint results are
 * carried over (the shards ran none): the next `run` of the phase runs them
 * on the merged tree. Merging the same shard runs again changes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { EngineEvent, EventOf, RunCounts, TaskFinalStatus } from '../engine/events.js';
import { UserError } from '../errors.js';
import { ensureStateIgnored } from './ignore-file.js';
import { checkBundles, checkTargetFiles, collectFiles, type MergeTarget } from './merge-checks.js';
import { listRunLogs, readRunLog, createRunId } from './run-log.js';
import type { ReadBundle } from './shard-bundle.js';
import { snapshotFromLogs } from './snapshot.js';
import type { TaskRecord } from './snapshot-schema.js';
import { statePaths } from './paths.js';
import { StateStore } from './store.js';

export interface MergeInput extends MergeTarget {
  root: string;
  /** Task ids in plan order, so the merged run lists them as a run would. */
  taskOrder: readonly string[];
  bundles: readonly ReadBundle[];
  /** The target's uncommitted files (undefined outside git), for the overwrite check. */
  uncommitted: (files: readonly string[]) => Promise<string[] | undefined>;
}

export interface MergedTask {
  id: string;
  status: TaskFinalStatus;
  summary: string;
  files: number;
}

export interface MergeReport {
  /** The run recorded in the target; the earlier one when these shards were merged before. */
  runId: string;
  alreadyMerged: boolean;
  shards: number;
  written: string[];
  removed: string[];
  tasks: MergedTask[];
  status: EventOf<'run:finish'>['status'];
}

/** What a merge will do, settled by `prepareMerge` before anything is written. */
export interface PreparedMerge {
  root: string;
  shards: number;
  files: ReturnType<typeof collectFiles>;
  events: EngineEvent[];
}

/**
 * Check the shards' results against each other and the target and work out
 * the merge, writing nothing; a report instead when these shards were merged
 * before. Throws a UserError naming what is refused.
 */
export async function prepareMerge(input: MergeInput): Promise<PreparedMerge | MergeReport> {
  const bundles = [...input.bundles].sort((a, b) => a.bundle.shard.index - b.bundle.shard.index);
  checkBundles(bundles, input);
  const count = bundles[0]!.bundle.shard.count;
  const earlier = findEarlierMerge(input.root, bundles.flatMap((item) => item.bundle.runs).sort());
  if (earlier) return { ...earlier, alreadyMerged: true, shards: count, written: [], removed: [] };
  const files = collectFiles(bundles);
  checkTargetFiles(input.root, files, await input.uncommitted([...files.keys()]));
  return { root: input.root, shards: count, files, events: mergedEvents(bundles, input.taskOrder, createRunId(), input.root) };
}

/** Write a prepared merge: the shards' files, then one merged run in the state. The caller holds the target's lock. */
export function applyMerge(prepared: PreparedMerge): MergeReport {
  const { root, files, events } = prepared;
  // Files first, then the state that says they are there: a merge stopped in between is simply run again.
  const written: string[] = [];
  const removed: string[] = [];
  for (const [file, { hash, from }] of files) {
    const target = path.join(root, file);
    if (hash === null) {
      if (fs.existsSync(target)) {
        fs.rmSync(target, { force: true });
        removed.push(file);
      }
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    writeFileAtomic.sync(target, fs.readFileSync(path.join(from.dir, 'files', file)), { fsync: false });
    written.push(file);
  }
  const paths = statePaths(root);
  fs.mkdirSync(paths.dir, { recursive: true });
  ensureStateIgnored(paths.dir);
  const store = StateStore.open(root);
  try {
    for (const event of events) store.record(event);
  } finally {
    store.close();
  }
  const finish = events.at(-1) as EventOf<'run:finish'>;
  return { runId: finish.runId, alreadyMerged: false, shards: prepared.shards, written, removed, tasks: taskLines(events), status: finish.status };
}

/** The merged run's events: run:start, a task:finish per task, run:finish. */
function mergedEvents(bundles: readonly ReadBundle[], taskOrder: readonly string[], runId: string, root: string): EngineEvent[] {
  const shards = bundles.map((item) => {
    const logs = item.bundle.runs.map((run) => readRunLog(path.join(item.dir, 'runs', `${run}.jsonl`)).events);
    const starts = logs.flatMap((events) => events.filter((e): e is EventOf<'run:start'> => e.type === 'run:start'));
    if (starts.length === 0) {
      throw new UserError(`${item.given} (shard ${item.bundle.shard.index}/${item.bundle.shard.count}): its run logs hold no run`, { hint: 'The shard results are damaged: download them again, or run the shard again.' });
    }
    const skips = new Map(logs.flat().filter((e): e is EventOf<'task:skip'> => e.type === 'task:skip').map((e) => [e.taskId, e.reason]));
    return { item, logs, starts, skips, snapshot: snapshotFromLogs(logs), end: Math.max(...logs.flat().map((e) => e.time)) };
  });
  const first = shards[0]!.starts[0]!;
  const startTime = Math.min(...shards.flatMap((s) => s.starts.map((e) => e.time)));
  const endTime = Math.max(...shards.map((s) => s.end));
  const selected = new Set(shards.flatMap((s) => s.starts.flatMap((e) => e.tasks)));
  const tasks = [...taskOrder.filter((id) => selected.has(id)), ...[...selected].filter((id) => !taskOrder.includes(id))];
  const fingerprints = Object.assign({}, ...shards.flatMap((s) => s.starts.map((e) => e.fingerprints))) as Record<string, string>;
  const phases = [...new Set(shards.flatMap((s) => s.starts.flatMap((e) => e.phases)))];
  const events: EngineEvent[] = [
    {
      type: 'run:start',
      time: startTime,
      runId,
      planFile: first.planFile,
      planHash: first.planHash,
      root,
      dryRun: false,
      tasks,
      phases,
      fingerprints,
      pid: process.pid,
      merged: { shards: bundles.length, runs: bundles.flatMap((item) => item.bundle.runs).sort() },
    },
  ];
  const counts: RunCounts = { total: tasks.length, changed: 0, unchanged: 0, skipped: 0, awaiting: 0, failed: 0, cancelled: 0, blocked: 0, doneEarlier: 0 };
  for (const id of tasks) {
    const role = shards[0]!.item.bundle.tasks[id] ?? 'whole';
    const parts = shards
      .filter((s) => (role === 'split' ? true : s.item.bundle.shard.index === 1))
      .map((s) => ({ index: s.item.bundle.shard.index, record: s.snapshot.tasks[id] }));
    const event = mergedTask(id, parts, fingerprints[id] ?? '', runId, bundles.length);
    if (event === undefined) {
      // No shard ran it: done before the shards ran (the state they started from is the target's too), or never reached.
      const reason = shards[0]!.skips.get(id);
      if (reason === 'done-earlier' || reason === 'settled') counts.doneEarlier++;
      else if (reason === 'cancelled') counts.cancelled++;
      else counts.blocked++;
      continue;
    }
    counts[event.status === 'awaiting' ? 'awaiting' : event.status]++;
    events.push(event);
  }
  const status = counts.failed > 0 ? 'failed' : counts.cancelled > 0 || counts.blocked > 0 ? 'interrupted' : counts.awaiting > 0 ? 'awaiting' : 'done';
  const exitCode = status === 'done' ? 0 : status === 'failed' ? 1 : status === 'awaiting' ? 3 : 130;
  events.push({ type: 'run:finish', time: endTime, runId, status, exitCode, durationMs: endTime - startTime, counts });
  return events;
}

/** Worst first: a task is as far as its least finished share. */
const SEVERITY: readonly TaskFinalStatus[] = ['failed', 'cancelled', 'awaiting', 'changed', 'unchanged', 'skipped'];

/** One task:finish for the shards' records of a task; undefined when no shard ran it (it was blocked everywhere). */
function mergedTask(id: string, parts: Array<{ index: number; record: TaskRecord | undefined }>, fingerprint: string, runId: string, count: number): EventOf<'task:finish'> | undefined {
  const present = parts.filter((p): p is { index: number; record: TaskRecord } => p.record !== undefined);
  if (present.length === 0) return undefined;
  const statuses = parts.map((p) => (p.record ? finalStatus(p.record) : 'cancelled'));
  const status = SEVERITY.find((s) => statuses.includes(s)) ?? 'cancelled';
  const missing = parts.filter((p) => p.record === undefined).map((p) => p.index);
  const only = present.length === 1 && parts.length === 1 ? present[0]!.record : undefined;
  const files = [...new Set(present.flatMap((p) => p.record.files))];
  const summary = only ? only.summary : splitSummary(status, files.length, count, missing);
  // Each share's own summary first (a shard's says `shard i/n: ...`), then the shares' details.
  const details = only ? [...(only.details ?? [])] : [...present.map((p) => p.record.summary), ...present.flatMap((p) => p.record.details ?? [])];
  const errors = present.filter((p) => p.record.error !== undefined).map((p) => (only ? p.record.error! : `shard ${p.index}/${count}: ${p.record.error}`));
  if (missing.length > 0) errors.push(`shard ${missing.join(', ')} of ${count} did not run it`);
  const errorFile = present.find((p) => p.record.errorFile !== undefined)?.record.errorFile;
  return {
    type: 'task:finish',
    time: Math.max(...present.map((p) => Date.parse(p.record.finishedAt ?? '') || 0)),
    runId,
    taskId: id,
    status,
    summary,
    ...(details.length > 0 ? { details } : {}),
    files,
    attempts: Math.max(...present.map((p) => p.record.attempts)),
    // The shards ran side by side: the task took as long as its slowest share.
    durationMs: Math.max(...present.map((p) => p.record.durationMs)),
    ...(errors.length > 0 && (status === 'failed' || status === 'cancelled') ? { error: errors.join('\n') } : {}),
    ...(errorFile === undefined ? {} : { errorFile }),
    fingerprint: present[0]!.record.fingerprint || fingerprint,
  };
}

/** One line for a task split over the shards: what they did together; each share's line is in the details. */
function splitSummary(status: TaskFinalStatus, files: number, count: number, missing: readonly number[]): string {
  const over = `over ${count} shards`;
  const lacking = missing.length > 0 ? `; shard ${missing.join(', ')} did not run it` : '';
  if (status === 'failed') return `failed in a shard ${over}${files > 0 ? ` (${files} file${files === 1 ? '' : 's'} written)` : ''}${lacking}; see the details`;
  if (status === 'cancelled') return `not finished ${over}${lacking}`;
  if (files > 0) return `wrote ${files} file${files === 1 ? '' : 's'} ${over}${lacking}`;
  return `${status} ${over}${lacking}`;
}

function finalStatus(record: TaskRecord): TaskFinalStatus {
  if (record.status === 'done') return record.outcome === 'awaiting' ? 'awaiting' : (record.outcome ?? 'changed');
  if (record.status === 'skipped') return 'skipped';
  if (record.status === 'running') return 'cancelled';
  return record.status;
}

/** The merged run already recorded for exactly these shard runs, if any. */
function findEarlierMerge(root: string, shardRuns: readonly string[]): Omit<MergeReport, 'alreadyMerged' | 'shards' | 'written' | 'removed'> | undefined {
  for (const file of listRunLogs(statePaths(root).runsDir)) {
    const { events } = readRunLog(file);
    const start = events[0];
    if (start?.type !== 'run:start' || !start.merged || start.merged.runs.join('\n') !== shardRuns.join('\n')) continue;
    const finish = events.find((e): e is EventOf<'run:finish'> => e.type === 'run:finish');
    if (!finish) continue; // a merge stopped before its end: merged again
    return { runId: start.runId, tasks: taskLines(events), status: finish.status };
  }
  return undefined;
}

function taskLines(events: readonly EngineEvent[]): MergedTask[] {
  return events.filter((e): e is EventOf<'task:finish'> => e.type === 'task:finish').map((e) => ({ id: e.taskId, status: e.status, summary: e.summary, files: e.files.length }));
}
