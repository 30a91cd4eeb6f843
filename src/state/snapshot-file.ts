/**
 * Reading and writing `.orchestrate/state.json`. Writes are atomic (a temp
 * file renamed over the old one), so the file always parses; reads say, with
 * a warning where it matters, when the file cannot be trusted and the caller
 * must rebuild from the run logs.
 */
import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { errorMessage } from '../errors.js';
import { parseSnapshot, type Snapshot } from './snapshot-schema.js';

/** Write the snapshot atomically. */
export function writeSnapshotFile(file: string, snapshot: Snapshot): void {
  // No fsync: we guard against a killed process, not power loss, and a lost or
  // empty state.json is rebuilt from the logs anyway.
  writeFileAtomic.sync(file, `${JSON.stringify(snapshot, null, 2)}\n`, { fsync: false });
}

/** A log holding events a cached snapshot lacks: the ones after its first `from` bytes. */
export interface LogTail {
  file: string;
  from: number;
}

/**
 * state.json if it is present and valid, with the parts of the logs it does
 * not cover yet (a log that grew since it was saved, or a log it does not
 * know); undefined when it cannot be used and the caller must rebuild from
 * the logs (missing, damaged, or a log shorter than it says).
 */
export function readCachedSnapshot(file: string, logs: string[], warnings: string[]): { snapshot: Snapshot; tails: LogTail[] } | undefined {
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

/**
 * Remove `state.json.<number>` files: write-file-atomic writes one and renames
 * it, so a process killed in between leaves it behind. Call only while holding
 * the lock, when any such file belongs to a dead process.
 */
export function removeTempFiles(stateFile: string): void {
  const base = path.basename(stateFile);
  let names: string[] = [];
  try {
    names = fs.readdirSync(path.dirname(stateFile));
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(`${base}.`) && /^\d+$/.test(name.slice(base.length + 1))) {
      fs.rmSync(path.join(path.dirname(stateFile), name), { force: true });
    }
  }
}
