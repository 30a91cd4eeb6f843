/**
 * One attempt of one task: its own timeout and abort signal (tied to the
 * run's stop signal), its own workspace view, committed only when the
 * handler succeeds. Turns whatever the handler throws into a result the
 * executor can retry, fail or cancel on.
 */
import { formatDuration } from '../config/duration.js';
import { ExitCode, UserError, errorMessage } from '../errors.js';
import type { Shard } from '../plan/shard.js';
import type { PlannedTask } from '../plan/types.js';
import type { FileChange } from '../workspace/types.js';
import type { Workspace } from '../workspace/workspace.js';
import type { HandlerParts, PromptAnswer, PromptRequest, TaskContext, TaskOutcome, TaskProgress, TemplateDirs } from './handler.js';

/** How long an aborted attempt may take to end (a command's default kill grace is 5 s) before the engine moves on anyway. */
const SETTLE_AFTER_ABORT_MS = 10_000;

/** The reason an attempt or a run was stopped: a timeout, fail-fast or an interruption. */
export class Interrupted extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'AbortError';
  }
}

export type AttemptResult =
  | { ok: true; outcome: TaskOutcome; changes: FileChange[] }
  | { ok: false; message: string; retryable: boolean; abortRun: boolean; file?: string | undefined };

export interface AttemptContext {
  root: string;
  projectName: string;
  templates: TemplateDirs;
  workspace: Workspace;
  /** The run's stop signal (fail-fast, Ctrl-C). */
  stop: AbortSignal;
  prompt: ((request: PromptRequest) => Promise<PromptAnswer>) | undefined;
  dryRun: boolean;
  /** The run's shard, when it is one job of a sharded run. */
  shard?: Shard | undefined;
  /** Called just before the handler starts (see ExecuteOptions.beforeWork). */
  beforeWork?: (() => void) | undefined;
  writers: (path: string) => string[];
  log: (line: string) => void;
  progress: (progress: TaskProgress) => void;
  /** Called with the paths a `ctx.keep` wrote, once they are on disk. */
  kept: (paths: string[]) => void;
}

/** Run one attempt of `task`; never throws for the handler's sake. */
export async function runAttempt(task: PlannedTask, handler: HandlerParts<never>, attempt: number, context: AttemptContext): Promise<AttemptResult> {
  const { stop } = context;
  if (stop.aborted) return { ok: false, message: 'cancelled before the attempt started', retryable: false, abortRun: false };
  const controller = new AbortController();
  let timedOut = false;
  // A person answering a manual step takes the time it takes.
  const timer =
    task.type === 'manual'
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort(new Interrupted(`timed out after ${formatDuration(task.settings.timeoutMs)}`));
        }, task.settings.timeoutMs);
  const onStop = () => controller.abort(stop.reason);
  stop.addEventListener('abort', onStop, { once: true });
  const view = context.workspace.view();
  let running: Promise<TaskOutcome> | undefined;
  try {
    const ctx: TaskContext = {
      root: context.root,
      task: { id: task.id, name: task.name },
      project: { name: context.projectName },
      templates: context.templates,
      workspace: view,
      variables: task.variables,
      signal: controller.signal,
      log: context.log,
      progress: context.progress,
      keep: async (paths) => {
        // A dry run writes nothing: the changes stay staged and end up in the task's diff.
        if (context.dryRun) return [];
        const kept = (await view.commitPartial(paths)).map((change) => change.path);
        if (kept.length > 0) context.kept(kept);
        return kept;
      },
      prompt: context.prompt,
      dryRun: context.dryRun,
      ...(context.shard === undefined ? {} : { shard: context.shard }),
      writers: context.writers,
      attempt,
    };
    context.beforeWork?.();
    running = handler.run(task.spec as never, ctx);
    const outcome = await raceAbort(running, controller.signal);
    if (controller.signal.aborted) throw controller.signal.reason;
    const changes = await view.commit();
    return { ok: true, outcome, changes };
  } catch (error) {
    view.discard();
    // An aborted attempt's processes may take a while to end (SIGTERM, then SIGKILL
    // after the kill grace). A retry, the next task, or the end of the run (which
    // releases the lock) must not overtake them; a handler that ignores the signal
    // altogether is waited for only so long.
    if (controller.signal.aborted && running) await settledWithin(running, SETTLE_AFTER_ABORT_MS);
    if (timedOut) return { ok: false, message: `timed out after ${formatDuration(task.settings.timeoutMs)}`, retryable: true, abortRun: false };
    if (stop.aborted) return { ok: false, message: errorMessage(stop.reason), retryable: false, abortRun: false };
    const abortRun = error instanceof UserError && error.exitCode === ExitCode.interrupted;
    const retryable = !(error instanceof UserError && error.retryable === false) && !abortRun;
    const hint = error instanceof UserError && error.hint ? `\nhint: ${error.hint}` : '';
    const file = error instanceof UserError ? error.file : undefined;
    return { ok: false, message: `${errorMessage(error)}${hint}`, retryable, abortRun, file };
  } finally {
    clearTimeout(timer);
    stop.removeEventListener('abort', onStop);
  }
}

/** Resolve when `promise` settles, or after `ms` if it has not by then. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** Settle with the handler's promise, or reject as soon as the signal aborts (a handler may ignore it). */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
