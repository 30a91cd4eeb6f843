/**
 * Runs a `command` task: the program in the target root (or its `cwd` inside
 * it), output streamed to the task log, success decided by `exit_codes`. A
 * failure becomes a UserError that carries the end of the output, so the
 * reason shows without opening the run log.
 */
import type { Task, TaskContext, TaskOutcome } from '../../src/engine/handler.js';
import { runProcess, type ProcessResult } from '../../src/engine/process.js';
import { formatDuration } from '../../src/config/duration.js';
import { ExitCode, UserError } from '../../src/errors.js';
import { formatCommand } from '../../src/engine/format-command.js';
import type { CommandTaskFields } from './schema.js';

/** Lines of output quoted in a failure message. */
const FAILURE_TAIL_LINES = 20;

/** Run a command task; throws a UserError on failure and an AbortError when cancelled. */
export async function runCommandTask(task: Task<CommandTaskFields>, ctx: TaskContext): Promise<TaskOutcome> {
  const shown = formatCommand(task.run);
  if (ctx.dryRun) return { status: 'skipped', summary: `would run: ${shown}`, files: [] };

  const cwd = task.cwd === undefined ? ctx.root : ctx.workspace.resolve(task.cwd);
  const result = await runProcess(task.run, {
    cwd,
    ...(task.env && { env: task.env }),
    ...(task.shell !== undefined && { shell: task.shell }),
    ...(task.kill_grace !== undefined && { killGraceMs: task.kill_grace }),
    signal: ctx.signal,
    onLine: (line) => ctx.log(line),
  });

  if (result.cancelled || ctx.signal.aborted) throw abortError(`cancelled: ${shown}`, ctx.signal.reason);
  const accepted = task.exit_codes ?? [0];
  if (result.exitCode !== undefined && accepted.includes(result.exitCode)) {
    return { status: 'changed', summary: `exit ${result.exitCode} in ${formatDuration(result.durationMs)}`, files: [] };
  }
  throw commandFailure(shown, result, cwd === ctx.root ? undefined : task.cwd, accepted);
}

/** The error for a command that did not succeed, ending with the last lines it printed. */
function commandFailure(shown: string, result: ProcessResult, cwd: string | undefined, accepted: readonly number[]): UserError {
  const where = cwd === undefined ? '' : ` (in ${cwd})`;
  if (result.error !== undefined) {
    return new UserError(`${result.error} (running ${shown}${where})`, {
      exitCode: ExitCode.failed,
      hint: 'Check that the program is installed and on PATH, or give its path.',
    });
  }
  const tail = result.output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-FAILURE_TAIL_LINES);
  const body = tail.length > 0 ? `\n${tail.map((line) => `  ${line}`).join('\n')}` : '';
  return new UserError(`command ${failureReason(result, accepted)}: ${shown}${where}${body}`, {
    exitCode: ExitCode.failed,
    hint: 'Run the command yourself in the target repository to see its whole output.',
  });
}

function failureReason(result: ProcessResult, accepted: readonly number[]): string {
  if (result.timedOut) return 'timed out';
  if (result.exitCode !== undefined) {
    const expected = accepted.length === 1 && accepted[0] === 0 ? '' : ` (expected ${accepted.join(', ')})`;
    return `failed with exit code ${result.exitCode}${expected}`;
  }
  return `was killed by ${result.signal ?? 'a signal'}`;
}

/** An error the engine recognises as a cancellation (it also checks the signal). */
export function abortError(message: string, reason: unknown): Error {
  const error = new Error(message, reason === undefined ? undefined : { cause: reason });
  error.name = 'AbortError';
  return error;
}
