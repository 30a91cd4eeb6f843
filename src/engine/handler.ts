/**
 * The handler contract: how the engine, the planner and the config loader see
 * a task type. Each handler folder under handlers/ exports one Handler, and a
 * plugin module exports one the same way; the composition root registers them
 * in a HandlerRegistry (registry.ts) that is passed to loading, planning,
 * running and status. A handler owns the schema of its own task fields,
 * describes a task in one line for `plan`, and runs it through the workspace,
 * never touching the disk itself. Only checking a plan needs the schema: a
 * handler may be registered as its HandlerParts (everything else) with a
 * loader of the whole, so that a plan taken from the cache loads no schema
 * code (the built-ins are registered so).
 */
import type { TaskBase } from '../config/schema.js';
import type { Shard } from '../plan/shard.js';
import type { WorkspaceView } from '../workspace/types.js';

/** What a finished task reports. */
export type TaskOutcomeStatus = 'changed' | 'unchanged' | 'skipped' | 'awaiting';

export interface TaskOutcome {
  status: TaskOutcomeStatus;
  /** One line for people: what was done or why not. */
  summary: string;
  /** Paths (relative to the target root) the task changed or would change. */
  files: string[];
  /**
   * Lines for whoever wants more than the summary (one per source, say):
   * kept in the run log and the state, shown by `--verbose` and `status --json`.
   */
  details?: string[] | undefined;
}

/** How far a long task has got; see TaskContext.progress. */
export interface TaskProgress {
  /** Units finished so far. */
  done: number;
  /** Units in all. */
  total: number;
  /** What a unit is, plural (`sources`); shown after the counts. */
  unit?: string | undefined;
  /** The unit being worked on now (`src/parse.ts`). */
  current?: string | undefined;
  /** A few words more (`3 tests kept`). */
  detail?: string | undefined;
}

/** A manual step's question to a person; resolved by the UI or by `--yes`. */
export type PromptAnswer = 'done' | 'skip' | 'abort';
export interface PromptRequest {
  taskId: string;
  title: string;
  instructions: string;
  checklist: string[];
  /** Aborted when the run stops (Ctrl-C): the question is taken back. */
  signal?: AbortSignal | undefined;
}

/** Where templates are looked up, in this order (absolute paths). */
export interface TemplateDirs {
  /** The plan's `templates_dir`, when it names one. */
  plan: string | undefined;
  /** `.orchestrate/templates/` in the target repository. */
  repository: string;
  /** The templates shipped with orchestrate. */
  builtIn: string;
}

/** Everything a handler may use while running one attempt of a task. */
export interface TaskContext {
  /** Absolute path of the target repository. */
  root: string;
  /** The task being run and the project it belongs to, for built-in template variables. */
  task: { id: string; name: string };
  project: { name: string };
  templates: TemplateDirs;
  workspace: WorkspaceView;
  /** Plan, phase, group and task variables, merged in that order. */
  variables: Record<string, unknown>;
  /** Aborted on timeout, fail-fast or interruption; pass it to child processes. */
  signal: AbortSignal;
  /** A line of progress or output; shown live and kept in the run log. */
  log: (line: string) => void;
  /**
   * Report how far the task has got, once per unit of work: an event shown
   * by every reporter and kept in the run log. Cheap; call it freely.
   */
  progress: (progress: TaskProgress) => void;
  /**
   * Make the workspace changes staged so far durable now, instead of when the
   * task ends: the staged changes to `paths` (all of them when omitted) are
   * written to disk and recorded in the state as this task's files, so they
   * stay if the attempt later fails, times out or the process is killed, and
   * the next attempt or run reads them back from disk. Resolves to the paths
   * written. In a dry run it writes nothing and resolves to [] (the changes
   * stay staged and show in the diff). Refused, like a commit, when another
   * task changed a file this one read.
   */
  keep: (paths?: readonly string[]) => Promise<string[]>;
  /** Ask a person (manual tasks only); undefined when nobody can answer. */
  prompt: ((request: PromptRequest) => Promise<PromptAnswer>) | undefined;
  dryRun: boolean;
  /**
   * The tasks whose last run wrote `path`, as the state records them: tells
   * the plan's own output (generated, then edited by a later task) from a
   * person's file.
   */
  writers?: ((path: string) => string[]) | undefined;
  /** 1-based attempt number. */
  attempt: number;
  /**
   * Set when the run is one job of a sharded run (`run --shard i/n`): a
   * handler with `splitsWork` does only this shard's share (`shareOf` in
   * src/plan/shard.ts). Absent otherwise.
   */
  shard?: Shard | undefined;
}

/** A task as a handler receives it: the common fields plus its own. */
export type Task<P> = TaskBase & P;

/**
 * What checks a task's own fields: a zod object schema (`z.object({...})`).
 * A plugin brings its own zod, so any object with zod's `safeParse` is taken;
 * a zod 4 object also gives editors its fields through `orchestrate schema`.
 */
export interface TaskFieldsSchema {
  safeParse(input: unknown): { success: boolean; data?: unknown; error?: unknown };
}

export interface Handler<P extends object = Record<string, unknown>> {
  /** The task type plans write in `type:`, e.g. `config_edit`. */
  type: string;
  /** One sentence for `orchestrate schema`, docs and unknown-type errors. */
  summary: string;
  /** The task's own fields (besides id, name, type and the common settings). */
  schema: TaskFieldsSchema;
  /** One line for `plan`: what the task will do. */
  describe(task: Task<P>): string;
  /** Paths the task will touch, when knowable without running it. */
  touches?(task: Task<P>): string[];
  /**
   * The task changes files it cannot name (it runs a program): the engine
   * looks at the working tree before and after it and credits it with the
   * difference.
   */
  unnamedChanges?: boolean;
  /**
   * The handler divides its work over the jobs of a sharded run (`ctx.shard`).
   * Tasks of other handlers run only in shard 1 and are settled as skipped in
   * the others.
   */
  splitsWork?: boolean;
  run(task: Task<P>, ctx: TaskContext): Promise<TaskOutcome>;
  /**
   * What the result depends on besides the task's definition, read at run time
   * (a template's text): folded into the task's fingerprint, so that a done
   * task runs again when it changes.
   */
  inputs?(task: Task<P>, context: { templates: TemplateDirs }): Promise<string>;
}

/**
 * A handler without its schema: all that showing, planning and running a
 * checked plan's tasks needs. A registry hands these out (registry.ts); the
 * whole handler is loaded only where a plan is checked against its schema.
 */
export type HandlerParts<P extends object = Record<string, unknown>> = Omit<Handler<P>, 'schema'>;
