/**
 * `run`: load the plan, take the lock, resume from the state, execute the
 * selected work and record every event. Events are delivered to listeners as
 * they happen and as an async iterable; an AbortSignal stops the run (running
 * tasks are cancelled, the state says interrupted). The CLI's `run` is this
 * function with a reporter and the git steps attached through `prepare`.
 */
import { stat } from 'node:fs/promises';
import type { ChangeTracker } from '../engine/change-tracker.js';
import type { EngineEvent } from '../engine/events.js';
import { execute, type RunResult as EngineRunResult } from '../engine/executor.js';
import type { PromptAnswer, PromptRequest } from '../engine/handler.js';
import { foldInputFingerprints } from '../engine/input-fingerprints.js';
import { isPhaseDone, previousFromSnapshot } from '../engine/previous.js';
import { UserError } from '../errors.js';
import { selectWork } from '../plan/selection.js';
import type { Shard } from '../plan/shard.js';
import type { Plan } from '../plan/types.js';
import { acquireLock } from '../state/lock.js';
import { createRunId } from '../state/run-log.js';
import type { Snapshot } from '../state/snapshot-schema.js';
import { StateStore } from '../state/store.js';
import { Workspace } from '../workspace/workspace.js';
import { EventStream } from './event-stream.js';
import { writeShardResults } from './shard-results.js';
import { loadPlan, type LoadedPlan } from './load.js';
import type { ApiWorld, PlanOptions } from './options.js';

/** A warning (a lock taken over, a damaged state) or a note (the plan changed), for people. */
export interface Notice {
  level: 'warning' | 'note';
  message: string;
}

/** What a caller attaches to a run once its plan is known: the CLI's reporter and git steps. */
export interface RunAttachment {
  /** Called for every event, after it is recorded in the state. */
  onEvent?: ((event: EngineEvent) => void) | undefined;
  /** Observes the working tree around tasks that cannot name their changes (`command`). */
  tracker?: ChangeTracker | undefined;
  /** Called once the work has settled, before the lock is released. */
  finish?: ((result: RunResult, snapshot: Snapshot) => Promise<void>) | undefined;
  /** Called last, whether the run finished or failed. */
  close?: (() => Promise<void>) | undefined;
}

export interface RunOptions extends PlanOptions {
  /** Run these phases (ids; comma-separated lists allowed). */
  phases?: readonly string[] | undefined;
  /** Run every phase. */
  all?: boolean | undefined;
  /** Only this group of the selected phase (`id` or `phase/group`). */
  group?: string | undefined;
  /** Only these tasks. */
  tasks?: readonly string[] | undefined;
  /** Also run phases the selection depends on that are not done. */
  withDeps?: boolean | undefined;
  /** Show what would change (`task:diff` events); write nothing, take no lock, record no state. */
  dryRun?: boolean | undefined;
  /** Run selected tasks again even if an earlier run finished them. */
  force?: boolean | undefined;
  /** Tasks at once across the run (default: the plan's `defaults.max_parallel`). */
  concurrency?: number | undefined;
  sequential?: boolean | undefined;
  failFast?: boolean | undefined;
  /** Accept every manual step. */
  yes?: boolean | undefined;
  /** Stops the run: running tasks are cancelled, the run ends `interrupted`. */
  signal?: AbortSignal | undefined;
  /** Ask a person about a manual step; without it (and without `yes`) manual tasks end awaiting. */
  prompt?: ((request: PromptRequest) => Promise<PromptAnswer>) | undefined;
  /** Called for every event as it happens (docs/events.md). */
  onEvent?: ((event: EngineEvent) => void) | undefined;
  /**
   * Keep the events for the handle's async iterable until they are read
   * (default true). False when only `onEvent` is used, as the CLI does, so a
   * long run holds none of them in memory; the iterable then yields nothing.
   */
  iterable?: boolean | undefined;
  /** Called with warnings and notes meant for people. */
  onNotice?: ((notice: Notice) => void) | undefined;
  /** Attach listeners once the plan and state are known, before any task starts. */
  prepare?: ((context: { plan: Plan; snapshot: () => Snapshot }) => Promise<RunAttachment | undefined>) | undefined;
  /**
   * Run as one job of a sharded run (`run --shard i/n`): splitting handlers
   * (test generation) do their share of the sources, other tasks run in shard
   * 1 only, and no checkpoint runs; `mergeResults` joins the shards.
   */
  shard?: Shard | undefined;
  /** How the lock names this run to others (default `orchestrate run` and the selection). */
  lockLabel?: string | undefined;
  /** The plan, when the caller loaded it already (with loadPlan); it is not read again. */
  loaded?: LoadedPlan | undefined;
  /** Wraps the handlers the run uses (to refuse what a trust level forbids, say). */
  wrapHandlers?: ((handlerFor: (type: string) => ReturnType<LoadedPlan['registry']['handlerFor']>, plan: Plan) => (type: string) => ReturnType<LoadedPlan['registry']['handlerFor']>) | undefined;
}

export interface RunResult extends EngineRunResult {
  runId: string;
  plan: Plan;
  /** A sharded run's results folder (`.orchestrate/shard-i-of-n/`), for `mergeResults`. */
  shardResults?: string | undefined;
}

/** A run under way: its events as an async iterable, and its result. */
export interface RunHandle extends AsyncIterable<EngineEvent> {
  /** Every event of the run, in order (buffered until read; one reader). Throws the run's error, if it failed to run. */
  readonly events: AsyncIterable<EngineEvent>;
  /** Resolves when the run has settled; rejects (PlanError, UserError) when it could not run. */
  readonly result: Promise<RunResult>;
}

/** Start a run; iterate the handle for its events, await `result` for the outcome. */
export function run(world: ApiWorld, options: RunOptions = {}): RunHandle {
  const events = new EventStream<EngineEvent>();
  const keep = options.iterable !== false;
  const result = runToEnd(world, options, (event) => keep && events.push(event)).then(
    (value) => {
      events.end();
      return value;
    },
    (error: unknown) => {
      events.fail(error);
      throw error;
    },
  );
  // A caller that only reads the events sees the error there; the promise must not also crash the process as unhandled.
  result.catch(() => undefined);
  return { events, result, [Symbol.asyncIterator]: () => events[Symbol.asyncIterator]() };
}

async function runToEnd(world: ApiWorld, options: RunOptions, push: (event: EngineEvent) => void): Promise<RunResult> {
  const { plan, registry } = options.loaded ?? (await loadPlan(world, options));
  await assertDirectory(plan.project.root);
  await foldInputFingerprints(plan, (type) => registry.handlerFor(type));
  const plain = (type: string) => registry.handlerFor(type);
  const handlerFor = options.wrapHandlers ? options.wrapHandlers(plain, plan) : plain;
  if (options.concurrency !== undefined && (!Number.isInteger(options.concurrency) || options.concurrency < 1)) {
    throw new UserError(`--concurrency must be a whole number of at least 1, not ${options.concurrency}`);
  }
  const dryRun = options.dryRun === true;
  const notice = (level: Notice['level'], message: string) => options.onNotice?.({ level, message });

  // The state is read under the lock, so no other run rewrites it meanwhile.
  const lock = dryRun ? undefined : await acquireLock(plan.project.root, { command: options.lockLabel ?? `orchestrate run ${describeSelection(options)}` });
  const store = StateStore.open(plan.project.root);
  let attachment: RunAttachment | undefined;
  try {
    for (const warning of [...(lock?.warnings ?? []), ...store.warnings]) notice('warning', warning);
    const snapshot = store.snapshot;
    const previous = previousFromSnapshot(plan, snapshot);
    // --force redoes the selected tasks; what else is done stays done, so a phase is still seen whole.
    const selection = selectWork(
      plan,
      { phases: options.phases, all: options.all, group: options.group, task: options.tasks, withDeps: options.withDeps ?? false },
      (id) => isPhaseDone(plan, previous, id),
    );
    if (snapshot.planHash && snapshot.planHash !== plan.source.sha256 && !options.force) {
      notice('note', `${plan.source.file} changed since the last run; tasks whose definition changed will run again`);
    }
    attachment = await options.prepare?.({ plan, snapshot: () => store.snapshot });
    const workspace = await Workspace.open(plan.project.root, { dryRun });
    const runId = createRunId();
    const outcome = await execute(plan, selection, {
      runId,
      dryRun,
      workspace,
      handlerFor,
      emit: (event) => {
        if (!dryRun) store.record(event);
        attachment?.onEvent?.(event);
        options.onEvent?.(event);
        push(event);
      },
      signal: options.signal ?? new AbortController().signal,
      concurrency: options.concurrency,
      sequential: options.sequential,
      failFast: options.failFast,
      force: options.force,
      yes: options.yes,
      prompt: options.prompt,
      previous,
      planFile: plan.source.file,
      tracker: attachment?.tracker,
      shard: options.shard,
      // Events are written in batches: what was recorded is on disk before the next attempt or checkpoint starts.
      beforeWork: dryRun ? undefined : () => store.flush(),
    });
    const result: RunResult = { ...outcome, runId, plan };
    if (options.shard && !dryRun) result.shardResults = await writeShardResults(plan, (type) => registry.handlerFor(type), options.shard);
    await attachment?.finish?.(result, store.snapshot);
    return result;
  } finally {
    await attachment?.close?.();
    store.close();
    await lock?.release();
  }
}

async function assertDirectory(root: string): Promise<void> {
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new UserError(`the target repository ${root} does not exist or is not a directory`, {
      hint: 'set project.root in the plan, or pass --cwd DIR',
    });
  }
}

function describeSelection(options: RunOptions): string {
  if (options.tasks?.length) return `--task ${options.tasks.join(',')}`;
  if (options.phases?.length) return `--phase ${options.phases.join(',')}`;
  return options.all ? '--all' : '';
}
