/**
 * The state of a run as the live tree shows it, folded from the engine's
 * events: each phase, group, task and checkpoint with its status, timings,
 * attempts and last output line. Pure data, no terminal: the Ink tree and the
 * GitHub summary read it, the tests drive it with events.
 */
import type { CoverageMeasured, EngineEvent } from '../engine/events.js';
import type { TaskProgress } from '../engine/handler.js';
import type { Plan } from '../plan/types.js';

export type TaskState = 'pending' | 'running' | 'retrying' | 'done' | 'unchanged' | 'failed' | 'skipped' | 'awaiting' | 'cancelled' | 'blocked' | 'earlier';
export type PhaseState = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled' | 'awaiting';

export interface TaskView {
  id: string;
  name: string;
  type: string;
  state: TaskState;
  /** Attempt under way (or last made), 1-based; 0 before the first. */
  attempt: number;
  maxAttempts: number;
  startedAt?: number | undefined;
  durationMs?: number | undefined;
  /** When a retry waits: the moment the next attempt starts. */
  retryAt?: number | undefined;
  lastLine?: string | undefined;
  /** The latest progress report of the attempt under way (`12/40 sources`). */
  progress?: TaskProgress | undefined;
  summary?: string | undefined;
  /** The handler's lines beyond the summary, once finished. */
  details?: string[] | undefined;
  error?: string | undefined;
  errorFile?: string | undefined;
  files: string[];
  /** When it reached its final state, for "recently finished". */
  finishedAt?: number | undefined;
}

export interface GroupView {
  id: string;
  name: string;
  execution: 'sequential' | 'parallel';
  tasks: TaskView[];
}

export interface CheckpointView {
  name: string;
  state: 'pending' | 'running' | 'passed' | 'failed';
  detail?: string | undefined;
  coverage?: CoverageMeasured | undefined;
  expected?: CoverageMeasured | undefined;
  durationMs?: number | undefined;
  /** The last line its command printed, while it runs. */
  lastLine?: string | undefined;
}

export interface PhaseView {
  id: string;
  name: string;
  state: PhaseState;
  /** In this run's selection. */
  selected: boolean;
  startedAt?: number | undefined;
  durationMs?: number | undefined;
  finishedAt?: number | undefined;
  /** Its groups, with only the selected tasks once the run has started. */
  groups: GroupView[];
  checkpoints: CheckpointView[];
}

/** Task states that are final. */
export const FINISHED: ReadonlySet<TaskState> = new Set(['done', 'unchanged', 'failed', 'skipped', 'awaiting', 'cancelled', 'blocked', 'earlier']);

export interface Counts {
  finished: number;
  done: number;
  failed: number;
  blocked: number;
  total: number;
}

const DONE: ReadonlySet<TaskState> = new Set(['done', 'unchanged', 'earlier', 'skipped']);

function count(tasks: readonly TaskView[]): Counts {
  const c: Counts = { finished: 0, done: 0, failed: 0, blocked: 0, total: tasks.length };
  for (const t of tasks) {
    if (FINISHED.has(t.state)) c.finished++;
    if (DONE.has(t.state)) c.done++;
    if (t.state === 'failed') c.failed++;
    if (t.state === 'blocked') c.blocked++;
  }
  return c;
}

/** Folds events into views of the plan. */
export class ProgressModel {
  readonly phases: PhaseView[];
  readonly tasks = new Map<string, TaskView>();
  private readonly phaseById = new Map<string, PhaseView>();
  startedAt: number | undefined;
  finishedAt: number | undefined;
  dryRun = false;

  constructor(plan: Plan) {
    this.phases = plan.phases.map((phase) => ({
      id: phase.id,
      name: phase.name,
      state: 'pending',
      selected: false,
      groups: phase.groups.map((group) => ({
        id: group.id,
        name: group.name,
        execution: group.execution,
        tasks: group.tasks.map((task) => ({
          id: task.id,
          name: task.name,
          type: task.type,
          state: 'pending',
          attempt: 0,
          maxAttempts: task.settings.retries + 1,
          files: [],
        })),
      })),
      checkpoints: phase.checkpoints.map((cp) => ({ name: cp.name, state: 'pending' })),
    }));
    for (const phase of this.phases) {
      this.phaseById.set(phase.id, phase);
      for (const group of phase.groups) for (const task of group.tasks) this.tasks.set(task.id, task);
    }
  }

  /** Phases of this run's selection (all of them before `run:start`). */
  get selectedPhases(): PhaseView[] {
    const chosen = this.phases.filter((p) => p.selected);
    return chosen.length ? chosen : this.phases;
  }

  /** Feed one event. */
  apply(event: EngineEvent): void {
    switch (event.type) {
      case 'run:start': {
        this.startedAt = event.time;
        this.dryRun = event.dryRun;
        const chosen = new Set(event.phases);
        const tasks = new Set(event.tasks);
        for (const phase of this.phases) {
          phase.selected = chosen.has(phase.id);
          // Tasks left out of the selection (--task, --group) are not part of this run's picture.
          phase.groups = phase.groups.map((g) => ({ ...g, tasks: g.tasks.filter((t) => tasks.has(t.id)) })).filter((g) => g.tasks.length > 0);
        }
        break;
      }
      case 'phase:start':
        this.update(this.phaseById.get(event.phaseId), { state: 'running', startedAt: event.time });
        break;
      case 'phase:finish':
        this.update(this.phaseById.get(event.phaseId), { state: event.status, durationMs: event.durationMs, finishedAt: event.time });
        break;
      case 'task:start':
        this.update(this.tasks.get(event.taskId), { state: 'running', startedAt: event.time });
        break;
      case 'task:attempt':
        this.update(this.tasks.get(event.taskId), { state: 'running', attempt: event.attempt, maxAttempts: event.maxAttempts, retryAt: undefined });
        break;
      case 'task:progress': {
        const { done, total, unit, current, detail } = event;
        this.update(this.tasks.get(event.taskId), { progress: { done, total, unit, current, detail } });
        break;
      }
      case 'task:retry':
        this.update(this.tasks.get(event.taskId), {
          state: 'retrying',
          attempt: event.attempt,
          maxAttempts: event.maxAttempts,
          retryAt: event.time + event.delayMs,
          error: event.error,
        });
        break;
      case 'task:output': {
        if (!event.line.trim()) break;
        const task = this.tasks.get(event.taskId);
        if (task) task.lastLine = event.line;
        else if (event.taskId.startsWith('checkpoint:')) {
          // A checkpoint's output comes as `checkpoint:<phase>:<name>`.
          const phase = this.phases.find((p) => event.taskId.startsWith(`checkpoint:${p.id}:`));
          const cp = phase?.checkpoints.find((c) => event.taskId === `checkpoint:${phase.id}:${c.name}`);
          if (cp) cp.lastLine = event.line;
        }
        break;
      }
      case 'task:finish':
        this.update(this.tasks.get(event.taskId), {
          state: event.status === 'changed' ? 'done' : event.status,
          summary: event.summary,
          details: event.details,
          progress: undefined,
          durationMs: event.durationMs,
          attempt: event.attempts,
          error: event.error,
          errorFile: event.errorFile,
          files: event.files,
          finishedAt: event.time,
          retryAt: undefined,
        });
        break;
      case 'task:skip': {
        const states = { 'done-earlier': 'earlier', settled: 'skipped', 'dependency-failed': 'blocked', cancelled: 'cancelled' } as const;
        const state: TaskState = states[event.reason];
        this.update(this.tasks.get(event.taskId), { state, summary: event.detail, finishedAt: event.time });
        break;
      }
      case 'checkpoint:start':
        this.update(this.checkpoint(event.phaseId, event.name), { state: 'running' });
        break;
      case 'checkpoint:finish':
        this.update(this.checkpoint(event.phaseId, event.name), {
          state: event.passed ? 'passed' : 'failed',
          detail: event.detail,
          coverage: event.coverage,
          expected: event.expected,
          durationMs: event.durationMs,
        });
        break;
      case 'run:finish':
        this.finishedAt = event.time;
        break;
      default:
        break;
    }
  }

  /** A phase's tasks by how far they got: finished (any final state), done (successfully), failed, blocked. */
  static phaseCounts(phase: PhaseView): Counts {
    return count(phase.groups.flatMap((g) => g.tasks));
  }

  /** The same over the run's selected phases. */
  overall(): Counts {
    return count(this.selectedPhases.flatMap((p) => p.groups.flatMap((g) => g.tasks)));
  }

  private checkpoint(phaseId: string, name: string): CheckpointView | undefined {
    const phase = this.phaseById.get(phaseId);
    if (!phase) return undefined;
    let cp = phase.checkpoints.find((c) => c.name === name);
    if (!cp) {
      cp = { name, state: 'pending' };
      phase.checkpoints.push(cp);
    }
    return cp;
  }

  private update<T extends object>(target: T | undefined, patch: Partial<T>): void {
    if (target) Object.assign(target, patch);
  }
}
