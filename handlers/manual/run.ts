/**
 * Runs a `manual` task: a step only a person can do. A passing `verify`
 * command settles it without asking; otherwise a person answers a prompt, and
 * where nobody can (CI, no terminal) the task waits for `orchestrate approve`.
 */
import type { PromptAnswer, Task, TaskContext, TaskOutcome } from '../../src/engine/handler.js';
import { runProcess } from '../../src/engine/process.js';
import { ExitCode, UserError } from '../../src/errors.js';
import { abortError } from '../command/run.js';
import { formatCommand } from '../../src/engine/format-command.js';
import { renderTemplate } from '../../src/templates/render.js';
import { templateVariables } from '../../src/templates/variables.js';
import type { ManualTaskFields } from './schema.js';

/** Settle a manual task by its verify command, a person's answer, or leave it awaiting. */
export async function runManualTask(task: Task<ManualTaskFields>, ctx: TaskContext): Promise<TaskOutcome> {
  // Rendered first, so a missing variable fails the task in a dry run too, not only at the prompt.
  const variables = await templateVariables(ctx);
  const render = (text: string): string => renderTemplate(text, { name: `manual task ${task.id}`, variables });
  const instructions = render(task.instructions);
  const checklist = (task.checklist ?? []).map(render);
  const headline = firstLine(instructions);
  if (ctx.dryRun) return { status: 'skipped', summary: `would ask a person: ${headline}`, files: [] };

  if (task.verify !== undefined) {
    const shown = formatCommand(task.verify);
    const result = await runProcess(task.verify, { cwd: ctx.root, signal: ctx.signal, onLine: (line) => ctx.log(line) });
    if (result.cancelled || ctx.signal.aborted) throw abortError(`cancelled: ${shown}`, ctx.signal.reason);
    if (result.exitCode === 0) return { status: 'changed', summary: `verified by ${shown}`, files: [] };
    // Not verified yet is the normal case before the person acts, so ask rather than fail.
    const why = result.error ?? (result.exitCode === undefined ? `killed by ${result.signal}` : `exit ${result.exitCode}`);
    ctx.log(`not verified by ${shown} (${why})`);
  }

  if (ctx.prompt === undefined) return { status: 'awaiting', summary: `awaiting a person: ${headline}`, files: [] };

  const answer: PromptAnswer = await ctx.prompt({ taskId: task.id, title: task.name ?? task.id, instructions, checklist, signal: ctx.signal });
  switch (answer) {
    case 'done':
      return { status: 'changed', summary: 'done by a person', files: [] };
    case 'skip':
      return { status: 'skipped', summary: 'skipped by a person', files: [] };
    case 'abort':
      throw new UserError(`aborted at manual task ${task.id}`, {
        exitCode: ExitCode.interrupted,
        hint: 'Run again to continue from here, or settle it with `orchestrate approve` or `orchestrate skip`.',
      });
  }
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
