/**
 * The `file_generation` handler without its schema: what a checked plan's
 * tasks need (kept free of zod, so a plan taken from the cache loads none).
 * index.ts adds the schema.
 */
import type { HandlerParts } from '../../src/engine/handler.js';
import type { FileGenerationTaskFields } from './schema.js';

export const fileGenerationParts: HandlerParts<FileGenerationTaskFields> = {
  type: 'file_generation',
  summary: 'Render a Handlebars template to a file.',
  describe: (task) => `render template ${task.template} to ${task.target}`,
  touches: (task) => [task.target],
  run: async (task, ctx) => (await import('./run.js')).runFileGeneration(task, ctx),
  // The text only: parsing with Handlebars would put it on the start-up path of `status`.
  inputs: async (task, { templates }) => (await (await import('../../src/templates/scan.js')).templateSource(templates, task.template)) ?? '',
};
