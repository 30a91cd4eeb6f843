/**
 * The `config_edit` handler without its schema: what a checked plan's tasks
 * need (kept free of zod, so a plan taken from the cache loads none).
 * index.ts adds the schema.
 */
import type { HandlerParts } from '../../src/engine/handler.js';
import type { ConfigEditTaskFields } from './schema.js';

export const configEditParts: HandlerParts<ConfigEditTaskFields> = {
  type: 'config_edit',
  summary: 'Edit a workflow, Jest/Vitest config or package.json, changing only the lines the edit means to change.',
  describe: (task) => `${task.action.replace(/_/g, ' ')} in ${task.file}`,
  touches: (task) => [task.file],
  run: async (task, ctx) => (await import('./run.js')).runConfigEdit(task, ctx),
};
