/**
 * The state store: what `status` reads and `run` resumes from. Every event is
 * appended to the run's log first (the truth); the snapshot in
 * `.orchestrate/state.json` is a cache of the logs, rewritten atomically after
 * the events that settle something. Opening prefers the cache and rebuilds it
 * from the logs when it is missing, unreadable or behind a log (it records how
 * many bytes of each log it covers), so a crash at any instant leaves a state
 * that reads back.
 *
 * Writers (a run, approve/skip) must hold the lock (lock.ts): two writers
 * would each rewrite state.json from their own view.
 */
import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { EngineEvent, EventOf } from '../engine/events.js';
import { errorMessage } from '../errors.js';
import { liveLockHolder } from './lock.js';
import { runLogPath, statePaths } from './paths.js';
import { createRunId, listRunLogs, readRunLog, RunLogWriter } from './run-log.js';
import { parseSnapshot, type RunRecord } from './snapshot-schema.js';
import { persistedEventTypes, reduce, settleInterrupted, snapshotFromLogs, type Snapshot } from './snapshot.js';

/** A person's answer to a manual task, given outside a run. */
export interface DecisionInput {
  taskId: string;
  decision: 'approved' | 'skipped';
  by: string;
  note?: string | undefined;
}

export class StateStore {
  /** For people: damaged logs skipped, a rebuilt snapshot, a failed snapshot write. Never fatal. */
  readonly warnings: string[];
  private current: Snapshot;
  /** Bytes of each log folded into `current`; saved with it as `logs`. */
  private readonly logBytes: Record<string, number>;
  private writer: { runId: string; log: RunLogWriter } | undefined;
  // Dry runs touch nothing on disk, so they are neither logged nor folded in.
  private readonly dryRuns = new Set<string>();

  private constructor(
    readonly root: string,
    snapshot: Snapshot,
    logBytes: Record<string, number>,
    warnings: string[],
  ) {
    this.current = snapshot;
    this.logBytes = { ...logBytes };
    this.warnings = warnings;
  }

  /** The state as of the last event recorded or read. */
  get snapshot(): Snapshot {
    return this.current;
  }

  /** Read the state of the repository at `root`, rebuilding the snapshot from the logs when needed. */
  static open(root: string): StateStore {
    const paths = statePaths(root);
    const warnings: string[] = [];
    const logs = listRunLogs(paths.runsDir);
    const isLive = liveRunCheck(root);
    const cached = readCachedSnapshot(paths.stateFile, logs, warnings);
    if (cached !== undefined) {
      const { logs: logBytes = {}, ...snapshot } = cached;
      return new StateStore(root, settleInterrupted(snapshot, isLive), logBytes, warnings);
    }
    const logBytes: Record<string, number> = {};
    const events = logs.map((file) => {
      const read = readRunLog(file);
      warnings.push(...read.warnings);
      logBytes[path.basename(file)] = read.bytes;
      return read.events;
    });
    return new StateStore(root, snapshotFromLogs(events, isLive), logBytes, warnings);
  }

  /**
   * Settle a manual task outside a run: writes a log of its own holding one
   * `decision` event (so a rebuild sees it) and updates state.json.
   */
  static appendDecision(root: string, input: DecisionInput): { snapshot: Snapshot; warnings: string[]; event: EventOf<'decision'> } {
    const store = StateStore.open(root);
    const event: EventOf<'decision'> = {
      type: 'decision',
      time: Date.now(),
      runId: createRunId(),
      taskId: input.taskId,
      decision: input.decision,
      by: input.by,
      ...(input.note === undefined ? {} : { note: input.note }),
    };
    store.record(event);
    store.close();
    return { snapshot: store.snapshot, warnings: store.warnings, event };
  }

  /** Append an event to its run's log, fold it in, and rewrite state.json if it settles something. */
  record(event: EngineEvent): void {
    if (event.type === 'run:start' && event.dryRun) this.dryRuns.add(event.runId);
    if (this.dryRuns.has(event.runId)) {
      if (event.type === 'run:finish') this.dryRuns.delete(event.runId);
      return;
    }
    this.append(event);
    this.current = reduce(this.current, event);
    if (persistedEventTypes.has(event.type)) this.persist();
    if (event.type === 'run:finish' && this.writer?.runId === event.runId) this.closeWriter();
  }

  /** Close the open run log, if any. */
  close(): void {
    this.closeWriter();
  }

  private append(event: EngineEvent): void {
    if (event.type === 'run:start') {
      this.closeWriter();
      this.writer = { runId: event.runId, log: RunLogWriter.open(runLogPath(this.root, event.runId)) };
    }
    const name = path.basename(runLogPath(this.root, event.runId));
    if (this.writer?.runId === event.runId) {
      this.writer.log.append(event);
      this.logBytes[name] = this.writer.log.bytes;
      return;
    }
    // An event of no open run (a decision outside a run): its own log, opened for this line.
    const log = RunLogWriter.open(runLogPath(this.root, event.runId));
    try {
      log.append(event);
      this.logBytes[name] = log.bytes;
    } finally {
      log.close();
    }
  }

  private persist(): void {
    try {
      // No fsync: we guard against a killed process, not power loss, and a lost
      // or empty state.json is rebuilt from the logs anyway.
      const text = `${JSON.stringify({ ...this.current, logs: this.logBytes }, null, 2)}\n`;
      writeFileAtomic.sync(statePaths(this.root).stateFile, text, { fsync: false });
    } catch (error) {
      this.warnings.push(`Could not save ${statePaths(this.root).stateFile} (${errorMessage(error)}); it will be rebuilt from the run logs.`);
    }
  }

  private closeWriter(): void {
    this.writer?.log.close();
    this.writer = undefined;
  }
}

/** state.json if it is present, valid and covers every byte of every log; otherwise undefined. */
function readCachedSnapshot(file: string, logs: string[], warnings: string[]): Snapshot | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    if (!missing) warnings.push(`${file} could not be read (${errorMessage(error)}); rebuilt it from the run logs.`);
    else if (logs.length > 0) warnings.push(`${file} is missing; rebuilt it from ${logs.length} run log(s).`);
    return undefined;
  }
  const parsed = parseSnapshot(text);
  if ('error' in parsed) {
    warnings.push(`${file} is damaged (${parsed.error}); rebuilt it from the run logs.`);
    return undefined;
  }
  // A log that grew after the snapshot was saved holds events it lacks: the
  // normal case while a run is live, or after a crash, so this rebuild is silent.
  // Sizes, not file times: mtimes tick too coarsely to order two quick writes.
  const covered = parsed.snapshot.logs ?? {};
  const current = logs.every((log) => {
    try {
      return fs.statSync(log).size === covered[path.basename(log)];
    } catch {
      return true; // removed since listed: nothing of it is missing from the snapshot
    }
  });
  return current ? parsed.snapshot : undefined;
}

/** A run showing `running` is live only if its own process holds the lock now. */
function liveRunCheck(root: string): (run: RunRecord) => boolean {
  const holder = liveLockHolder(root);
  return (run) => holder !== undefined && run.pid === holder.pid;
}
