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

/** state.json if it is present, valid and covers every byte of every log; otherwise undefined. */
export function readCachedSnapshot(file: string, logs: string[], warnings: string[]): Snapshot | undefined {
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
