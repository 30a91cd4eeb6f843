/**
 * The `manual` handler without its schema: what a checked plan's tasks need
 * (kept free of zod, so a plan taken from the cache loads none). index.ts
 * adds the schema.
 */
import type { HandlerParts } from '../../src/engine/handler.js';
import type { ManualTaskFields } from './schema.js';

export const manualParts: HandlerParts<ManualTaskFields> = {
  type: 'manual',
  summary: "A person's step (instructions, checklist), approved at a prompt, with --yes, or by `orchestrate approve`.",
  describe: (task) => `ask a person: ${firstLine(task.instructions)}`,
  run: async (task, ctx) => (await import('./run.js')).runManualTask(task, ctx),
};

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
