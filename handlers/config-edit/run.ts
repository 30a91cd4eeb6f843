/**
 * Runs a `config_edit` task: reads the file through the workspace, applies
 * the named action with edit.ts (parse, plan, splice, re-parse and prove), and
 * stages the result through the workspace, so that a dry run shows it as a
 * diff and a failed task leaves the file as it was. An action that does not
 * apply to the file skips the task with the reason.
 */
import type { Task, TaskContext, TaskOutcome } from '../../src/engine/handler.js';
import { BugError, UserError } from '../../src/errors.js';
import { actionFor } from './actions/index.js';
import { editText } from './edit.js';
import type { ConfigEditTaskFields } from './schema.js';

/** Apply the task's action to its file. */
export async function runConfigEdit(task: Task<ConfigEditTaskFields>, ctx: TaskContext): Promise<TaskOutcome> {
  const file = task.file;
  ctx.workspace.resolve(file); // refuses a path outside the root before any work
  const action = actionFor(task.action);
  if (action === undefined) throw new BugError(`config_edit action ${task.action} passed the schema but has no module`);
  const text = await ctx.workspace.read(file);
  if (text === undefined) {
    throw new UserError(`${file} does not exist, so ${task.action} cannot edit it`, {
      retryable: false,
      file,
      hint: 'Check the task\'s `file:` (relative to the target root), or let an earlier task create the file.',
    });
  }
  const outcome = await editText(file, text, action, task.params, ctx.signal);
  switch (outcome.kind) {
    case 'not_applicable':
      return { status: 'skipped', summary: `not applicable: ${outcome.reason}`, files: [] };
    case 'unchanged':
      return { status: 'unchanged', summary: outcome.summary, files: [] };
    case 'changed': {
      await ctx.workspace.write(file, outcome.text);
      for (const note of outcome.notes) ctx.log(`note: ${note}`);
      const notes = outcome.notes.length === 0 ? '' : ` (${outcome.notes.join('; ')})`;
      return { status: 'changed', summary: `${outcome.summary}${notes}`, files: [file] };
    }
  }
}
