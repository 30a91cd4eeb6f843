/** The `config_edit` handler: minimal-diff edits of workflows, test configs and package.json. */
import type { Handler } from '../../src/engine/handler.js';
import { configEditTaskSchema, type ConfigEditTaskFields } from './schema.js';

export const configEditHandler: Handler<ConfigEditTaskFields> = {
  type: 'config_edit',
  summary: 'Edit a workflow, Jest/Vitest config or package.json, changing only the lines the edit means to change.',
  schema: configEditTaskSchema,
  describe: (task) => `${task.action.replace(/_/g, ' ')} in ${task.file}`,
  touches: (task) => [task.file],
  run: async (task, ctx) => (await import('./run.js')).runConfigEdit(task, ctx),
};
