/**
 * Reading a repository's state: `.orchestrate/state.json` when it is present,
 * valid and matches the run logs, with what the logs gained since folded in;
 * else the logs folded afresh (with a warning where it matters). The store
 * (store.ts) opens with it before it writes; a reader that never writes
 * (`status`) takes it through `readStateOnly`, which loads neither the
 * writing code nor state.json's schema check (zod) when there is no
 * state.json to check.
 */
import fs from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../errors.js';
import { liveLockHolder } from './lock-holder.js';
import { statePaths } from './paths.js';
import { listRunLogs, readRunLog } from './run-log.js';
import type { RunRecord, Snapshot } from './snapshot-schema.js';
import { reduceInPlace, settleInterrupted, snapshotFromLogs } from './snapshot.js';

/** Checks the text of state.json: parseSnapshot in snapshot-schema.ts. */
export type SnapshotParser = (text: string) => { snapshot: Snapshot } | { error: string };

/** The state as read, with the bytes of each log it covers. */
export interface ReadState {
  snapshot: Snapshot;
  /** Bytes of each log folded into `snapshot`. */
  logBytes: Record<string, number>;
  /** For people: damaged logs skipped, a rebuilt snapshot. Never fatal. */
  warnings: string[];
}

/** Read the state of the repository at `root`, rebuilding the snapshot from the logs when needed. */
export function readState(root: string, parse: SnapshotParser): ReadState {
  const paths = statePaths(root);
  const warnings: string[] = [];
  const logs = listRunLogs(paths.runsDir);
  const isLive = liveRunCheck(root);
  const cached = readCachedSnapshot(paths.stateFile, logs, warnings, parse);
  if (cached !== undefined) {
    const { logs: logBytes = {}, ...snapshot } = cached.snapshot;
    // Only what the logs gained since the save is read: a live run's snapshot from its last phase end, say.
    let current: Snapshot = snapshot;
    for (const tail of cached.tails) {
      const read = readRunLog(tail.file, tail.from);
      warnings.push(...read.warnings);
      logBytes[path.basename(tail.file)] = read.bytes;
      for (const event of read.events) current = reduceInPlace(current, event);
    }
    return { snapshot: settleInterrupted(current, isLive), logBytes, warnings };
  }
  const logBytes: Record<string, number> = {};
  const events = logs.map((file) => {
    const read = readRunLog(file);
    warnings.push(...read.warnings);
    logBytes[path.basename(file)] = read.bytes;
    return read.events;
  });
  return { snapshot: snapshotFromLogs(events, isLive), logBytes, warnings };
}

/**
 * The state of the repository at `root`, for a reader that writes nothing:
 * state.json's schema is loaded only when there is a state.json to check.
 */
export async function readStateOnly(root: string): Promise<ReadState> {
  const exists = fs.existsSync(statePaths(root).stateFile);
  // Written between the look and the read (a run starting): rebuilt from the logs, which a run writes first.
  const parse: SnapshotParser = exists ? (await import('./snapshot-schema.js')).parseSnapshot : () => ({ error: 'written while it was being read' });
  return readState(root, parse);
}

/** A log holding events a cached snapshot lacks: the ones after its first `from` bytes. */
interface LogTail {
  file: string;
  from: number;
}

/**
 * state.json if it is present and valid, with the parts of the logs it does
 * not cover yet (a log that grew since it was saved, or a log it does not
 * know); undefined when it cannot be used and the caller must rebuild from
 * the logs (missing, damaged, or a log shorter than it says).
 */
function readCachedSnapshot(file: string, logs: string[], warnings: string[], parse: SnapshotParser): { snapshot: Snapshot; tails: LogTail[] } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    if (!missing) warnings.push(`${file} could not be read (${errorMessage(error)}); rebuilt it from the run logs.`);
    else if (logs.length > 0) warnings.push(`${file} is missing; rebuilt it from ${logs.length} run log(s).`);
    return undefined;
  }
  const parsed = parse(text);
  if ('error' in parsed) {
    warnings.push(`${file} is damaged (${parsed.error}); rebuilt it from the run logs.`);
    return undefined;
  }
  // A log that grew after the snapshot was saved holds events it lacks: the
  // normal case while a run is live, or after a crash. Those events are read
  // and folded in on top of it. Sizes, not file times: mtimes tick too
  // coarsely to order two quick writes.
  const covered = parsed.snapshot.logs ?? {};
  const tails: LogTail[] = [];
  for (const log of logs) {
    let size: number;
    try {
      size = fs.statSync(log).size;
    } catch {
      continue; // removed since listed: nothing of it is missing from the snapshot
    }
    const known = covered[path.basename(log)] ?? 0;
    if (known === size) {
      // Events fold in log order: a tail folded on top must not belong before events the snapshot holds.
      if (known > 0 && tails.length > 0) return undefined;
      continue;
    }
    if (known > size) return undefined; // cut or replaced: the snapshot cannot be trusted
    tails.push({ file: log, from: known });
  }
  return { snapshot: parsed.snapshot, tails };
}

/** A run showing `running` is live only if its own process holds the lock now. */
function liveRunCheck(root: string): (run: RunRecord) => boolean {
  const holder = liveLockHolder(root);
  return (run) => holder !== undefined && run.pid === holder.pid;
}
