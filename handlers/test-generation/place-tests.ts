/**
 * The step before generating: settle the task's `test_file`. Without one, a
 * task on TS/JS sources gets the pattern the repository's conventions and
 * its build allow (placement.ts), said in the task's log; with one, the
 * pattern stands and the log warns where the build would take the tests in.
 * Python sources keep `tests/test_{name}.py`.
 */
import type { Task, TaskContext } from '../../src/engine/handler.js';
import { chooseTestPattern, exposureWarnings } from './placement.js';
import type { TestGenerationTaskFields } from './schema.js';
import { resolveSources } from './targets.js';

/** The task with `test_file` settled for its sources. */
export async function placeTests(task: Task<TestGenerationTaskFields>, ctx: TaskContext): Promise<Task<TestGenerationTaskFields>> {
  const sources = await resolveSources(ctx.workspace, task.target, task.targets);
  if (sources.some((source) => source.endsWith('.py'))) return task;
  if (task.test_file !== undefined) {
    for (const warning of await exposureWarnings(ctx, task.test_file, sources)) ctx.log(warning);
    return task;
  }
  const chosen = await chooseTestPattern(ctx, sources);
  ctx.log(chosen.reason);
  return { ...task, test_file: chosen.pattern };
}
