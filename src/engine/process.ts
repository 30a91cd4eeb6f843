/**
 * Runs the child processes of tasks and checkpoints. Each child leads its own
 * process group, so that a timeout, a cancellation or Ctrl-C ends the whole
 * tree it started (a shell's background jobs included), not only the direct
 * child. Output arrives line by line; the last lines are kept for messages.
 * A child that cannot start is a result, never a crash. Children are started
 * through spawner-pool.ts (spawner processes, or directly); the groups are
 * signalled from here either way.
 */
import { statSync } from 'node:fs';
import { UserError } from '../errors.js';
import { launch } from './spawner-pool.js';
import { splitCommand } from './split-command.js';

export { splitCommand };

export interface RunProcessOptions {
  cwd: string;
  /** Added to the inherited environment. */
  env?: Record<string, string>;
  /** Run through the system shell instead of splitting into words (an array is joined with spaces). */
  shell?: boolean;
  signal: AbortSignal;
  timeoutMs?: number;
  /** Time between SIGTERM and SIGKILL to the process group (default 5000). */
  killGraceMs?: number;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface ProcessResult {
  /** Undefined when the process was killed by a signal or never started. */
  exitCode: number | undefined;
  signal: string | undefined;
  timedOut: boolean;
  cancelled: boolean;
  /** The last lines of stdout and stderr, interleaved, newline-separated. */
  output: string;
  /** Why the process never started (`command not found: X`), when it did not. */
  error: string | undefined;
  durationMs: number;
}

const TAIL_LINES = 50;
const DEFAULT_KILL_GRACE_MS = 5_000;

/** Leaders (= group ids) of the process groups started here that may still have members. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

/** Run a command in its own process group; resolves (never rejects for the child's sake) when it has ended. */
export async function runProcess(command: string | readonly string[], options: RunProcessOptions): Promise<ProcessResult> {
  const started = performance.now();
  const tail: string[] = [];
  const record = (line: string, stream: 'stdout' | 'stderr'): void => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    options.onLine?.(line, stream);
  };
  const finish = (fields: Partial<ProcessResult>): ProcessResult => {
    if (fields.error !== undefined) record(fields.error, 'stderr');
    const { exitCode, signal, timedOut = false, cancelled = false, error } = fields;
    return { exitCode, signal, timedOut, cancelled, error, output: tail.join('\n'), durationMs: performance.now() - started };
  };

  if (options.signal.aborted) return finish({ cancelled: true });
  if (!isDirectory(options.cwd)) return finish({ error: `working directory not found: ${options.cwd}` });
  const [file, ...args] = options.shell
    ? [typeof command === 'string' ? command : command.join(' ')]
    : typeof command === 'string'
      ? splitCommand(command)
      : command;
  if (file === undefined || file === '') throw new UserError('empty command', { hint: 'Give the program to run.' });

  installExitHook();
  const graceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const stdout = lineSplitter((line) => record(line, 'stdout'));
  const stderr = lineSplitter((line) => record(line, 'stderr'));

  let pid: number | undefined;
  let stopReason: 'timeout' | 'cancel' | undefined;
  let ended = false;
  const stop = (reason: 'timeout' | 'cancel'): void => {
    if (stopReason !== undefined || ended) return;
    stopReason = reason;
    // Through the pool the pid may not be known yet: the group is signalled when it is.
    if (pid !== undefined) terminateGroup(pid, graceMs);
  };
  const onAbort = (): void => stop('cancel');
  options.signal.addEventListener('abort', onAbort, { once: true });
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), options.timeoutMs);

  // Plain spawn (here or in a spawner process), not execa: the parent's CPU per
  // child bounds how fast many short commands run, and execa costs about 2 ms of it per child.
  const outcome = await launch(
    { file, args, cwd: options.cwd, env: options.env, shell: options.shell ?? false, graceMs },
    {
      onPid: (started) => {
        pid = started;
        liveGroups.add(started);
        if (stopReason !== undefined) terminateGroup(started, graceMs);
      },
      onOutput: (text, stream) => (stream === 'stdout' ? stdout : stderr).push(text),
      // When the leader ends, whatever it left running in its group would hold the
      // output pipes open (and outlive us); end it too.
      onExit: () => {
        if (pid !== undefined && stopReason === undefined && groupExists(pid)) terminateGroup(pid, graceMs);
      },
    },
  );
  ended = true;
  stdout.flush();
  stderr.flush();
  options.signal.removeEventListener('abort', onAbort);
  if (timer) clearTimeout(timer);
  if (pid !== undefined && !groupExists(pid)) liveGroups.delete(pid);

  if ('spawnError' in outcome) return finish({ error: explainSpawnError(outcome.spawnError.code, file, outcome.spawnError.message) });
  return finish({
    exitCode: outcome.code ?? undefined,
    signal: outcome.signal ?? undefined,
    timedOut: stopReason === 'timeout',
    cancelled: stopReason === 'cancel',
  });
}

/** Send a signal to every live process group this module started (for the CLI's SIGINT handler); returns how many. */
export function killAllProcessGroups(signal: NodeJS.Signals = 'SIGTERM'): number {
  let count = 0;
  for (const pid of liveGroups) {
    if (signalGroup(pid, signal)) count += 1;
    else liveGroups.delete(pid);
  }
  return count;
}

/** Hands each complete line of pushed text on as it arrives; `flush` hands on a last partial line. */
function lineSplitter(onLine: (line: string) => void): { push: (text: string) => void; flush: () => void } {
  let pending = '';
  return {
    push: (text) => {
      const parts = (pending + text).split('\n');
      pending = parts.pop() ?? '';
      for (const part of parts) onLine(part.endsWith('\r') ? part.slice(0, -1) : part);
    },
    flush: () => {
      if (pending !== '') onLine(pending);
      pending = '';
    },
  };
}

/** SIGTERM the group now and SIGKILL it after the grace period, unless it is gone by then. */
function terminateGroup(pid: number, graceMs: number): void {
  if (!signalGroup(pid, 'SIGTERM')) {
    liveGroups.delete(pid);
    return;
  }
  // Unref'd: the exit hook kills what is left if we exit before the timer fires.
  setTimeout(() => {
    signalGroup(pid, 'SIGKILL');
    liveGroups.delete(pid);
  }, graceMs).unref();
}

/** Signal a whole process group; false when it no longer exists. */
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function groupExists(pid: number): boolean {
  return signalGroup(pid, 0);
}

/** Detached children are not killed with us by default, so do it on the way out. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => killAllProcessGroups('SIGKILL'));
}

function explainSpawnError(code: string | undefined, file: string, message: string): string {
  if (code === 'ENOENT') return `command not found: ${file}`;
  if (code === 'EACCES') return `permission denied: ${file} is not executable`;
  return `could not start ${file}: ${message}`;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
