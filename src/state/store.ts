/**
 * The state store: what `status` reads and `run` resumes from. Every event is
 * appended to the run's log first (the truth); the snapshot in
 * `.orchestrate/state.json` is a cache of the logs, rewritten atomically when
 * a run starts, at the end of each phase, after checkpoint results and
 * decisions, and when the run ends. It records how many bytes of each log it
 * covers: opening reads it and folds in only what the logs gained since (a
 * live run's events since its last phase end, or a crashed run's last
 * ones), and rebuilds from the whole logs when it is missing, unreadable or
 * does not match them. So a crash at any instant leaves a state that reads
 * back, and a reader in another process during a run (`status`) sees every
 * event the logs hold.
 *
 * Log writes are batched: the events of a run, task results included, are
 * queued and written together, with one write, when the engine is about to
 * start work (`flush`, which `execute` calls before every handler attempt and
 * checkpoint command), at the end of the event-loop turn they were recorded
 * in, and at once for run starts and ends, checkpoint results, kept files and
 * decisions. So a kill -9 loses at most events of the turn it lands in
 * (docs/architecture.md).
 *
 * Writers (a run, approve/skip) must hold the lock (lock.ts): two writers
 * would each rewrite state.json from their own view.
 */
import path from 'node:path';
import type { EngineEvent, EventOf } from '../engine/events.js';
import { errorMessage } from '../errors.js';
import { runLogPath, statePaths } from './paths.js';
import { readState } from './read-state.js';
import { createRunId, RunLogWriter } from './run-log.js';
import { removeTempFiles, writeSnapshotFile } from './snapshot-file.js';
import { parseSnapshot } from './snapshot-schema.js';
import { persistedEventTypes, reduceInPlace, type Snapshot } from './snapshot.js';

/** A person's answer to a manual task, given outside a run. */
export interface DecisionInput {
  taskId: string;
  decision: 'approved' | 'skipped';
  by: string;
  note?: string | undefined;
}

/**
 * Events after which state.json is rewritten before `record` returns. Task
 * results are not: a run of n tasks would rewrite an O(n) file n times. They
 * are saved at the end of their phase (phase commits take state.json from
 * the disk), before the next handler attempt or checkpoint starts, or at the
 * end of that event-loop turn, whichever comes first.
 */
const SAVED_AT_ONCE: ReadonlySet<EngineEvent['type']> = new Set(['run:start', 'checkpoint:finish', 'decision', 'run:finish']);
/** Events written as soon as they are recorded rather than with the next batch. */
const WRITTEN_AT_ONCE: ReadonlySet<EngineEvent['type']> = new Set(['run:start', 'task:keep', 'checkpoint:finish', 'decision', 'run:finish']);

export class StateStore {
  /** For people: damaged logs skipped, a rebuilt snapshot, a failed snapshot write. Never fatal. */
  readonly warnings: string[];
  private current: Snapshot;
  /** Bytes of each log folded into `current`; saved with it as `logs`. */
  private readonly logBytes: Record<string, number>;
  private writer: { runId: string; name: string; log: RunLogWriter } | undefined;
  private savedOnce = false;
  // Dry runs touch nothing on disk, so they are neither logged nor folded in.
  private readonly dryRuns = new Set<string>();
  private readonly stateFile: string;

  private constructor(
    readonly root: string,
    snapshot: Snapshot,
    logBytes: Record<string, number>,
    warnings: string[],
  ) {
    this.current = snapshot;
    this.stateFile = statePaths(root).stateFile;
    this.logBytes = { ...logBytes };
    this.warnings = warnings;
  }

  /** The state as of the last event recorded or read. */
  get snapshot(): Snapshot {
    return this.current;
  }

  /** Read the state of the repository at `root`, rebuilding the snapshot from the logs when needed. */
  static open(root: string): StateStore {
    const { snapshot, logBytes, warnings } = readState(root, parseSnapshot);
    return new StateStore(root, snapshot, logBytes, warnings);
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

  /**
   * Append an event to its run's log, fold it in, and rewrite state.json if it
   * settles something. Throws if the log cannot be written: without it nothing
   * of the run would survive; a failed state.json write is only a warning.
   */
  record(event: EngineEvent): void {
    if (event.type === 'run:start' && event.dryRun) this.dryRuns.add(event.runId);
    if (this.dryRuns.has(event.runId)) {
      if (event.type === 'run:finish') this.dryRuns.delete(event.runId);
      return;
    }
    this.append(event);
    this.current = reduceInPlace(this.current, event);
    if (persistedEventTypes.has(event.type)) this.dirty = true;
    if (SAVED_AT_ONCE.has(event.type)) {
      this.persist();
    } else if (event.type === 'phase:finish' && this.dirty) {
      // Deferred to the end of the turn, so a last phase's end and the run's end make one rewrite.
      this.saveDue = true;
      this.flushLater();
    }
    if (event.type === 'run:finish' && this.writer?.runId === event.runId) this.closeWriter();
  }

  /**
   * Write the queued events of the open run log now, and state.json if a
   * phase has ended since it was last saved (the engine calls this before it
   * starts work).
   */
  flush(): void {
    this.writeQueued();
    if (this.saveDue) this.persist();
  }

  /** Save what is not saved yet and close the open run log, if any. */
  close(): void {
    if (this.dirty) this.persist();
    this.closeWriter();
  }

  private writeQueued(): void {
    const writer = this.writer;
    if (writer === undefined || !writer.log.pending) return;
    writer.log.flush();
    this.logBytes[writer.name] = writer.log.bytes;
  }

  private append(event: EngineEvent): void {
    if (event.type === 'run:start') {
      this.closeWriter();
      const file = runLogPath(this.root, event.runId);
      this.writer = { runId: event.runId, name: path.basename(file), log: RunLogWriter.open(file) };
    }
    if (this.writer?.runId === event.runId) {
      if (WRITTEN_AT_ONCE.has(event.type)) {
        this.writer.log.append(event);
      } else {
        this.writer.log.queue(event);
        this.flushLater();
      }
      this.logBytes[this.writer.name] = this.writer.log.bytes;
      return;
    }
    // An event of no open run (a decision outside a run): its own log, opened for this line.
    const file = runLogPath(this.root, event.runId);
    const log = RunLogWriter.open(file);
    try {
      log.append(event);
      this.logBytes[path.basename(file)] = log.bytes;
    } finally {
      log.close();
    }
  }

  /** Write the queue at the end of this turn of the event loop, if nothing writes it before. */
  private flushLater(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private persist(): void {
    // The snapshot must not cover events its log does not hold yet.
    this.writeQueued();
    this.dirty = false;
    this.saveDue = false;
    if (!this.savedOnce) removeTempFiles(this.stateFile);
    this.savedOnce = true;
    try {
      writeSnapshotFile(this.stateFile, { ...this.current, logs: this.logBytes });
    } catch (error) {
      this.warnings.push(`Could not save ${this.stateFile} (${errorMessage(error)}); it will be rebuilt from the run logs.`);
    }
  }

  private dirty = false;
  /** A phase ended with results not saved yet: state.json is rewritten at the next flush. */
  private saveDue = false;
  private flushScheduled = false;

  private closeWriter(): void {
    this.writer?.log.close();
    if (this.writer) this.logBytes[this.writer.name] = this.writer.log.bytes;
    this.writer = undefined;
  }
}
