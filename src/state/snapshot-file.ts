/**
 * Writing `.orchestrate/state.json`. Writes are atomic (a temp file renamed
 * over the old one), so the file always parses. Reading it is read-state.ts's,
 * so that a reader (`status`) loads no writing code.
 */
import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Snapshot } from './snapshot-schema.js';

/** Write the snapshot atomically. */
export function writeSnapshotFile(file: string, snapshot: Snapshot): void {
  // No fsync: we guard against a killed process, not power loss, and a lost or
  // empty state.json is rebuilt from the logs anyway.
  writeFileAtomic.sync(file, `${JSON.stringify(snapshot, null, 2)}\n`, { fsync: false });
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
