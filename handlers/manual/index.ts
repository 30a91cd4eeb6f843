/** The `manual` handler: a person's step, settled by a prompt, `--yes`, `approve` or `verify`. */
import type { Handler } from '../../src/engine/handler.js';
import { manualTaskSchema, type ManualTaskFields } from './schema.js';

export const manualHandler: Handler<ManualTaskFields> = {
  type: 'manual',
  summary: "A person's step (instructions, checklist), approved at a prompt, with --yes, or by `orchestrate approve`.",
  schema: manualTaskSchema,
  describe: (task) => `ask a person: ${firstLine(task.instructions)}`,
  run: async (task, ctx) => (await import('./run.js')).runManualTask(task, ctx),
};

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
