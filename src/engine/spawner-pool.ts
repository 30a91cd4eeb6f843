/**
 * Starting child processes, directly or through a small pool of spawner
 * processes (spawner-source.ts). Starting a child costs its parent a fork and
 * an exec, paid on the parent's one thread whatever the concurrency, and the
 * more memory the parent maps the more a fork costs: for many short commands
 * that cost, not the commands, sets the pace. Spawners are small processes
 * that fork on their own cores, so the starts overlap and each is cheaper;
 * the parent only exchanges a few small messages per child.
 *
 * The pool starts on the first launch and is used once its spawners say they
 * are ready (until then children start directly, so nothing waits for it).
 * It holds the event loop only while children run, and its spawners exit with
 * the parent. A spawner that dies ends the children it was running for us
 * (their groups are signalled) and reports them as failed to start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { SPAWNER_SOURCE } from './spawner-source.js';

/** What to start: the program (or shell command line), in its own process group. */
export interface LaunchRequest {
  file: string;
  args: readonly string[];
  cwd: string;
  /** Added to the environment. */
  env: Record<string, string> | undefined;
  shell: boolean;
  /** Grace between SIGTERM and SIGKILL for what a leader leaves in its group. */
  graceMs: number;
}

export interface LaunchCallbacks {
  /** The child runs, as the leader of process group `pid`. */
  onPid: (pid: number) => void;
  /** Output as it arrives, decoded as UTF-8, in order per stream. */
  onOutput: (text: string, stream: 'stdout' | 'stderr') => void;
  /**
   * The group's leader exited (its output may still be arriving). Called for
   * direct launches only: a spawner ends what a leader left behind itself.
   */
  onExit?: () => void;
}

export type LaunchEnd = { code: number | null; signal: NodeJS.Signals | null } | { spawnError: { code: string | undefined; message: string } };

/** How children are started: through the pool when it is ready (default), or always directly. */
let mode: 'pool' | 'direct' = 'pool';
let pool: Pool | undefined;

/** Choose how children start; 'direct' also stops the pool. For tests and embedders. */
export function setSpawning(next: 'pool' | 'direct'): void {
  mode = next;
  if (next === 'direct') {
    pool?.stop();
    pool = undefined;
  }
}

/** Start the pool now and resolve when it takes children (at once if it cannot start). */
export async function startSpawnerPool(): Promise<void> {
  if (mode !== 'pool') return;
  pool ??= new Pool(spawnerCount());
  await pool.ready;
}

/** Start a child; resolves when it has ended and its output is all delivered. */
export function launch(request: LaunchRequest, callbacks: LaunchCallbacks): Promise<LaunchEnd> {
  if (mode === 'pool') {
    pool ??= new Pool(spawnerCount());
    const spawner = pool.pick();
    if (spawner) return spawner.launch(request, callbacks);
  }
  return launchDirect(request, callbacks);
}

/** One spawner per core, at most four: more would only compete for the same cores. */
function spawnerCount(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** Start a child from this process. */
export function launchDirect(request: LaunchRequest, callbacks: LaunchCallbacks): Promise<LaunchEnd> {
  const child = spawn(request.file, request.args, {
    cwd: request.cwd,
    env: request.env ? { ...process.env, ...request.env } : undefined,
    shell: request.shell,
    // A group of its own: signals to -pid then reach every descendant.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) callbacks.onPid(child.pid);
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (text: string) => callbacks.onOutput(text, 'stdout'));
  child.stderr.on('data', (text: string) => callbacks.onOutput(text, 'stderr'));
  child.once('exit', () => callbacks.onExit?.());
  return new Promise((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (child.pid === undefined) resolve({ spawnError: { code: error.code, message: error.message } });
    });
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
}

interface Pending {
  callbacks: LaunchCallbacks;
  resolve: (end: LaunchEnd) => void;
  pid?: number;
}

type SpawnerMessage =
  | { t: 'ready' }
  | { t: 'pid'; id: number; pid: number }
  | { t: 'out'; id: number; s: 0 | 1; d: string }
  | { t: 'close'; id: number; code: number | null; signal: NodeJS.Signals | null }
  | { t: 'error'; id: number; code: string | undefined; message: string };

class Pool {
  readonly ready: Promise<void>;
  private readonly spawners: Spawner[];

  constructor(count: number) {
    this.spawners = Array.from({ length: count }, () => new Spawner(() => this.remove()));
    this.ready = Promise.all(this.spawners.map((s) => s.ready)).then(() => undefined);
  }

  /** The ready spawner with the fewest children running, if any is ready. */
  pick(): Spawner | undefined {
    let best: Spawner | undefined;
    for (const spawner of this.spawners) {
      if (spawner.isReady && (best === undefined || spawner.running < best.running)) best = spawner;
    }
    return best;
  }

  stop(): void {
    for (const spawner of this.spawners) spawner.stop();
  }

  private remove(): void {
    // Dead spawners stay out of pick(); when none is left, children start directly.
    for (let i = this.spawners.length - 1; i >= 0; i--) if (this.spawners[i]!.isDead) this.spawners.splice(i, 1);
  }
}

class Spawner {
  readonly ready: Promise<void>;
  isReady = false;
  isDead = false;
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(onDeath: () => void) {
    // cwd /: a spawner must not hold the directory it happened to start in (each child gets its own).
    this.child = spawn(process.execPath, ['-e', SPAWNER_SOURCE], { cwd: '/', stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'json' });
    // Idle, the pool must not keep the parent alive: ref'd only while children run.
    this.child.unref();
    this.child.channel?.unref();
    let markReady!: () => void;
    this.ready = new Promise((resolve) => (markReady = resolve));
    this.child.on('message', (message: SpawnerMessage) => {
      if (message.t === 'ready') {
        this.isReady = true;
        markReady();
      } else {
        this.receive(message);
      }
    });
    const die = () => {
      if (this.isDead) return;
      this.isDead = true;
      this.isReady = false;
      markReady();
      onDeath();
      this.failAll();
    };
    this.child.once('exit', die);
    this.child.once('error', die);
  }

  get running(): number {
    return this.pending.size;
  }

  launch(request: LaunchRequest, callbacks: LaunchCallbacks): Promise<LaunchEnd> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { callbacks, resolve });
      if (this.pending.size === 1) this.child.channel?.ref();
      this.child.send({ t: 'spawn', id, file: request.file, args: request.args, cwd: request.cwd, env: request.env, shell: request.shell, graceMs: request.graceMs });
    });
  }

  stop(): void {
    this.child.kill();
  }

  private receive(message: Exclude<SpawnerMessage, { t: 'ready' }>): void {
    const entry = this.pending.get(message.id);
    if (!entry) return;
    switch (message.t) {
      case 'pid':
        entry.pid = message.pid;
        entry.callbacks.onPid(message.pid);
        return;
      case 'out':
        entry.callbacks.onOutput(message.d, message.s === 0 ? 'stdout' : 'stderr');
        return;
      case 'close':
        this.settle(message.id, { code: message.code, signal: message.signal });
        return;
      case 'error':
        this.settle(message.id, { spawnError: { code: message.code, message: message.message } });
    }
  }

  private settle(id: number, end: LaunchEnd): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    if (this.pending.size === 0) this.child.channel?.unref();
    entry.resolve(end);
  }

  /** The spawner died: its children lost their output pipes, so end them and say so. */
  private failAll(): void {
    for (const [id, entry] of this.pending) {
      if (entry.pid !== undefined) {
        try {
          process.kill(-entry.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      this.settle(id, { spawnError: { code: 'ESPAWNER', message: 'the process that started it stopped unexpectedly' } });
    }
  }
}
