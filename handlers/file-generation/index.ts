/** The `file_generation` handler: a file rendered from a Handlebars template. */
import type { Handler } from '../../src/engine/handler.js';
import { fileGenerationTaskSchema, type FileGenerationTaskFields } from './schema.js';

export const fileGenerationHandler: Handler<FileGenerationTaskFields> = {
  type: 'file_generation',
  summary: 'Render a Handlebars template to a file.',
  schema: fileGenerationTaskSchema,
  describe: (task) => `render template ${task.template} to ${task.target}`,
  touches: (task) => [task.target],
  run: async (task, ctx) => (await import('./run.js')).runFileGeneration(task, ctx),
  // The text only: parsing with Handlebars would put it on the start-up path of `status`.
  inputs: async (task, { templates }) => (await (await import('../../src/templates/scan.js')).templateSource(templates, task.template)) ?? '',
};
