/**
 * The `command` handler without its schema: what a checked plan's tasks need
 * (kept free of zod, so a plan taken from the cache loads none). index.ts adds
 * the schema.
 */
import type { HandlerParts } from '../../src/engine/handler.js';
import { formatCommand } from '../../src/engine/format-command.js';
import type { CommandTaskFields } from './schema.js';

export const commandParts: HandlerParts<CommandTaskFields> = {
  type: 'command',
  summary: 'Run a program in the target repository (argument array; a shell only with shell: true).',
  unnamedChanges: true,
  describe: (task) => `run ${formatCommand(task.run)}${task.cwd ? ` in ${task.cwd}` : ''}`,
  run: async (task, ctx) => (await import('./run.js')).runCommandTask(task, ctx),
};
