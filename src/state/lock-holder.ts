/**
 * Who holds a repository's run lock, read without taking it: `status` and the
 * state store ask this on every start, so it loads none of what taking the
 * lock needs (proper-lockfile, write-file-atomic; src/state/lock.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import { statePaths } from './paths.js';

/** Who holds the lock, as written to `.orchestrate/lock.json`. */
export interface LockHolder {
  pid: number;
  /** ISO time the holder acquired the lock. */
  startedAt: string;
  hostname: string;
  /** What the holder is doing, e.g. `orchestrate run --phase 2`. */
  command: string;
}

/** The holder named in `.orchestrate/lock.json`, if that file exists and parses. */
export function readLockHolder(root: string): LockHolder | undefined {
  return readHolderFile(statePaths(root).holderFile);
}

/** A holder file (lock.json or an intent file) as written, if it parses. */
export function readHolderFile(file: string): LockHolder | undefined {
  try {
    const value: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const holder = value as Partial<LockHolder>;
    if (typeof holder.pid !== 'number' || typeof holder.startedAt !== 'string') return undefined;
    return {
      pid: holder.pid,
      startedAt: holder.startedAt,
      hostname: typeof holder.hostname === 'string' ? holder.hostname : '',
      command: typeof holder.command === 'string' ? holder.command : '',
    };
  } catch {
    return undefined;
  }
}

/** The lock's holder if the lock is held right now by a process that may still be running. */
export function liveLockHolder(root: string): LockHolder | undefined {
  if (!fs.existsSync(statePaths(root).lockDir)) return undefined;
  const holder = readLockHolder(root);
  return holder !== undefined && !isDeadLocally(holder) ? holder : undefined;
}

/** True only when we can tell the holder's process is gone: same host, no such pid. */
export function isDeadLocally(holder: LockHolder): boolean {
  if (holder.hostname !== os.hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    // EPERM means the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
