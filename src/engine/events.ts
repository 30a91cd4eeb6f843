/**
 * Events the executor emits. Reporters and the state store subscribe to them;
 * the engine knows nothing else about either. Every event is plain JSON (the
 * run log stores them as they are, one per line) and carries `time` (ms since
 * the epoch) and `runId`.
 */
import type { TaskOutcomeStatus, TaskProgress } from './handler.js';

export interface CoverageMeasured {
  lines?: number | undefined;
  statements?: number | undefined;
  functions?: number | undefined;
  branches?: number | undefined;
}

/** Final state of a task within one run. */
export type TaskFinalStatus = TaskOutcomeStatus | 'failed' | 'cancelled';

interface Base {
  time: number;
  runId: string;
}

export type EngineEvent =
  | (Base & {
      type: 'run:start';
      planFile: string;
      planHash: string;
      root: string;
      dryRun: boolean;
      /** Task ids selected for this run, in plan order. */
      tasks: string[];
      phases: string[];
      /** Task fingerprints at the time of the run, for resume after a plan change. */
      fingerprints: Record<string, string>;
      pid: number;
      /** Set when the run is one job of a sharded run (`run --shard i/n`). */
      shard?: { index: number; count: number } | undefined;
      /** Set on the run `merge-results` writes: the shard runs it joins, and how many shards. */
      merged?: { shards: number; runs: string[] } | undefined;
    })
  | (Base & { type: 'phase:start'; phaseId: string })
  | (Base & {
      type: 'phase:finish';
      phaseId: string;
      status: 'done' | 'failed' | 'skipped' | 'cancelled' | 'awaiting';
      durationMs: number;
      /** Set when the selected tasks are done but others of the phase are not (its checkpoints did not run). */
      incomplete?: true;
    })
  | (Base & { type: 'group:start'; phaseId: string; groupId: string })
  | (Base & { type: 'group:finish'; phaseId: string; groupId: string; status: 'done' | 'failed' | 'skipped' | 'cancelled' | 'awaiting' })
  | (Base & { type: 'task:start'; taskId: string; phaseId: string; groupId: string })
  | (Base & { type: 'task:attempt'; taskId: string; attempt: number; maxAttempts: number })
  | (Base & { type: 'task:output'; taskId: string; line: string })
  /** How far a long task has got (its handler's `ctx.progress`). */
  | (Base & { type: 'task:progress'; taskId: string } & TaskProgress)
  /** Files a task made durable before it ended (its handler's `ctx.keep`): on disk, and kept if the task then fails or is killed. */
  | (Base & { type: 'task:keep'; taskId: string; files: string[] })
  | (Base & {
      type: 'task:retry';
      taskId: string;
      attempt: number;
      maxAttempts: number;
      error: string;
      /** Wait before the next attempt. */
      delayMs: number;
    })
  | (Base & {
      type: 'task:finish';
      taskId: string;
      status: TaskFinalStatus;
      summary: string;
      /** Lines the handler reported beyond the summary (one per source, say); absent when none. */
      details?: string[] | undefined;
      /** Every file the task changed in this run, the ones it kept before it ended included. */
      files: string[];
      attempts: number;
      durationMs: number;
      /** Set when status is failed or cancelled. */
      error?: string | undefined;
      /** The file a failure concerns, when known. */
      errorFile?: string | undefined;
      fingerprint: string;
    })
  | (Base & {
      type: 'task:skip';
      taskId: string;
      /** Why it did not run: done in an earlier run, a dependency failed, deselected... */
      reason: 'done-earlier' | 'dependency-failed' | 'cancelled' | 'settled';
      detail: string;
    })
  | (Base & { type: 'task:diff'; taskId: string; path: string; diff: string })
  | (Base & { type: 'checkpoint:start'; phaseId: string; name: string })
  | (Base & {
      type: 'checkpoint:finish';
      phaseId: string;
      name: string;
      passed: boolean;
      detail: string;
      coverage?: CoverageMeasured | undefined;
      expected?: CoverageMeasured | undefined;
      durationMs: number;
    })
  | (Base & {
      type: 'run:finish';
      status: 'done' | 'failed' | 'awaiting' | 'interrupted';
      exitCode: number;
      durationMs: number;
      counts: RunCounts;
    })
  | (Base & { type: 'decision'; taskId: string; decision: 'approved' | 'skipped'; by: string; note?: string | undefined });

export type EngineEventType = EngineEvent['type'];
/** An event as the executor builds it, before `time` and `runId` are stamped on. */
export type EventBody = EngineEvent extends infer E ? (E extends unknown ? Omit<E, 'time' | 'runId'> : never) : never;
export type EventOf<T extends EngineEventType> = Extract<EngineEvent, { type: T }>;

/** How the selected tasks of a run ended. */
export interface RunCounts {
  total: number;
  changed: number;
  unchanged: number;
  /** Skipped by their handler (e.g. a dry run's `would run`) or settled by a person's skip. */
  skipped: number;
  awaiting: number;
  failed: number;
  cancelled: number;
  /** Not started because something they depend on failed or awaits a person. */
  blocked: number;
  /** Done in an earlier run and not run again. */
  doneEarlier: number;
}

/** Something that receives events: a reporter, the state store. */
export type EventListener = (event: EngineEvent) => void;
