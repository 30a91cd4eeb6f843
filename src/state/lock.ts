/**
 * One run at a time per repository. proper-lockfile owns `.orchestrate/lock`
 * (an atomic mkdir, kept fresh while held, taken over when stale); we add
 * `.orchestrate/lock.json`, naming the holder, so a refusal can say who holds
 * it and a lock left by a dead process can be taken over at once instead of
 * after the stale timeout.
 *
 * The lock is released by the returned `release`, and proper-lockfile also
 * removes it on a normal exit or a catchable signal. A holder killed with
 * SIGKILL leaves both files behind; the next run sees that the pid is gone
 * (same host) and takes the lock over, with a warning.
 */
import fs from 'node:fs';
import os from 'node:os';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { ExitCode, UserError } from '../errors.js';
import { ensureStateIgnored } from './ignore-file.js';
import { isDeadLocally, readHolderFile, readLockHolder, type LockHolder } from './lock-holder.js';
import { statePaths, type StatePaths } from './paths.js';

export { isDeadLocally, liveLockHolder, readLockHolder, type LockHolder } from './lock-holder.js';


export interface LockHandle {
  /** Release the lock; safe to call more than once. */
  release: () => Promise<void>;
  /** For people: e.g. that a lock left by a dead process was taken over. */
  warnings: string[];
}

export interface LockOptions {
  /** Called if another process takes the lock from us (we stalled past the stale time). */
  onCompromised?: (error: Error) => void;
  /** Age after which a lock not kept fresh counts as abandoned; 30 s by default. */
  staleMs?: number;
}

/** Take the repository's lock, or throw a UserError (exit code 4) naming the live holder. */
export async function acquireLock(root: string, info: { command: string }, options: LockOptions = {}): Promise<LockHandle> {
  const paths = statePaths(root);
  fs.mkdirSync(paths.dir, { recursive: true });
  ensureStateIgnored(paths.dir);
  const warnings: string[] = [];
  const previous = readLockHolder(root);
  const me: LockHolder = { pid: process.pid, startedAt: new Date().toISOString(), hostname: os.hostname(), command: info.command };
  const intent = intentFile(paths, process.pid);
  writeFileAtomic.sync(intent, `${JSON.stringify(me)}\n`, { fsync: false });
  let release: () => Promise<void>;
  try {
    release = await lockOrTakeOver(paths, options, warnings);
  } catch (error) {
    fs.rmSync(intent, { force: true });
    throw error;
  }
  if (previous !== undefined && warnings.length === 0) {
    // The lock was free, or stale by proper-lockfile's clock, yet a holder never cleaned up.
    warnings.push(`Took over the lock left by ${describeHolder(previous)}, which did not release it.`);
  }
  try {
    writeFileAtomic.sync(paths.holderFile, `${JSON.stringify(me, null, 2)}\n`, { fsync: false });
  } catch (error) {
    await release(); // a lock nobody can name would block every later run until it goes stale
    throw error;
  } finally {
    fs.rmSync(intent, { force: true });
  }
  // If the process exits without calling release, proper-lockfile drops the lock
  // directory; drop the holder file too so the next run does not warn about us.
  const onExit = (): void => removeHolderIfMine(paths, me);
  process.once('exit', onExit);
  let released = false;
  return {
    warnings,
    release: async () => {
      if (released) return;
      released = true;
      process.removeListener('exit', onExit);
      // The lock goes first: killed in between, we leave a named holder with no
      // lock (harmless), never a lock with no holder.
      await release();
      removeHolderIfMine(paths, me);
    },
  };
}

async function lockOrTakeOver(paths: StatePaths, options: LockOptions, warnings: string[]): Promise<() => Promise<void>> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await lockfile.lock(paths.dir, {
        lockfilePath: paths.lockDir,
        realpath: false,
        stale: options.staleMs ?? 30_000,
        // Without a handler proper-lockfile throws from a timer and kills the process.
        onCompromised: options.onCompromised ?? (() => {}),
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      const holder = await waitForHolder(paths);
      if (holder === undefined && attempt < 2 && abandonedWhileTaken(paths)) {
        // Every intent to lock belongs to a dead process: one was killed after
        // taking the lock and before naming itself in lock.json.
        fs.rmSync(paths.lockDir, { recursive: true, force: true });
        warnings.push(`Took over a lock left by a process that was stopped while taking it (${paths.lockDir}).`);
        continue;
      }
      if (holder === undefined || !isDeadLocally(holder) || attempt >= 2) throw lockedError(paths, holder);
      // Re-read just before removing, to narrow the window in which a new holder could slip in.
      const again = readHolderFile(paths.holderFile);
      if (again?.pid !== holder.pid || again.startedAt !== holder.startedAt) continue;
      fs.rmSync(paths.lockDir, { recursive: true, force: true });
      warnings.push(`Took over the lock left by ${describeHolder(holder)}, which is no longer running.`);
    }
  }
}

/** A new holder writes lock.json just after taking the lock; give it a moment. */
async function waitForHolder(paths: StatePaths): Promise<LockHolder | undefined> {
  for (let i = 0; i < 10; i++) {
    const holder = readHolderFile(paths.holderFile);
    if (holder !== undefined) return holder;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

/**
 * Before taking the lock a process writes `lock-intent-<pid>.json`, and removes
 * it once lock.json names it; so a lock with no holder is explained by the
 * intents: a live one means someone is taking it right now, only dead ones
 * mean it was abandoned. No intent at all: someone else made it; refuse.
 */
function intentFile(paths: StatePaths, pid: number): string {
  return `${paths.dir}/lock-intent-${pid}.json`;
}

function intents(paths: StatePaths): { file: string; holder: LockHolder | undefined }[] {
  let names: string[] = [];
  try {
    names = fs.readdirSync(paths.dir).filter((name) => /^lock-intent-\d+\.json$/.test(name));
  } catch {
    return [];
  }
  return names.map((name) => ({ file: `${paths.dir}/${name}`, holder: readHolderFile(`${paths.dir}/${name}`) }));
}

function abandonedWhileTaken(paths: StatePaths): boolean {
  const found = intents(paths).filter((intent) => intent.holder?.pid !== process.pid);
  if (found.length === 0) return false;
  if (!found.every((intent) => intent.holder !== undefined && isDeadLocally(intent.holder))) return false;
  for (const intent of found) fs.rmSync(intent.file, { force: true });
  return true;
}

function lockedError(paths: StatePaths, holder: LockHolder | undefined): UserError {
  if (holder === undefined) {
    return new UserError(`Another process holds the lock ${paths.lockDir} and has not said who it is.`, {
      exitCode: ExitCode.locked,
      hint: `Wait for the other orchestrate run to finish. If none is running, delete ${paths.lockDir} and try again.`,
    });
  }
  const local = holder.hostname === os.hostname();
  return new UserError(`Another orchestrate run holds the lock: ${describeHolder(holder)}.`, {
    exitCode: ExitCode.locked,
    hint: local
      ? `Wait for it to finish, or stop it (kill ${holder.pid}) and run again; a lock left by a stopped process is taken over.`
      : `Wait for it to finish. If that process no longer runs on ${holder.hostname}, delete ${paths.lockDir} and try again.`,
  });
}

function describeHolder(holder: LockHolder): string {
  const host = holder.hostname && holder.hostname !== os.hostname() ? ` on ${holder.hostname}` : '';
  const command = holder.command ? ` (${holder.command})` : '';
  return `pid ${holder.pid}${host}, started ${holder.startedAt}${command}`;
}

function removeHolderIfMine(paths: StatePaths, me: LockHolder): void {
  const current = readHolderFile(paths.holderFile);
  if (current?.pid === me.pid && current.startedAt === me.startedAt) fs.rmSync(paths.holderFile, { force: true });
}
