/**
 * Task types whose schema is fixed (so plans written today keep validating)
 * but whose handler this version cannot carry out yet. Running such a task
 * fails it with a plain statement, never a pretend success.
 */
import { UserError } from '../src/errors.js';
import type { TaskOutcome } from '../src/engine/handler.js';

/** Fail a task whose type this version cannot run. */
export async function unavailable(type: string): Promise<TaskOutcome> {
  throw new UserError(`this version of orchestrate cannot carry out ${type} tasks yet`, {
    hint: `the plan validates and plans, but ${type} tasks fail when run; skip them with --task or mark them continue_on_error`,
  });
}
