/** The `command` handler: runs a program in the target repository. */
import type { Handler } from '../../src/engine/handler.js';
import { formatCommand } from '../../src/engine/format-command.js';
import { commandTaskSchema, type CommandTaskFields } from './schema.js';

export const commandHandler: Handler<CommandTaskFields> = {
  type: 'command',
  summary: 'Run a program in the target repository (argument array; a shell only with shell: true).',
  schema: commandTaskSchema,
  unnamedChanges: true,
  describe: (task) => `run ${formatCommand(task.run)}${task.cwd ? ` in ${task.cwd}` : ''}`,
  run: async (task, ctx) => (await import('./run.js')).runCommandTask(task, ctx),
};
