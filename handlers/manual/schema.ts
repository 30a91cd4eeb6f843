/** Fields of a `manual` task: a step a person does, with approval. */
import { z } from 'zod';

export const manualTaskSchema = z.object({
  instructions: z.string().min(1).describe('What the person should do (Markdown; variables are rendered).'),
  checklist: z.array(z.string().min(1)).optional().describe('Items to tick off.'),
  verify: z
    .union([z.string().min(1), z.array(z.string()).min(1)])
    .optional()
    .describe('A command that, when it exits 0, settles the task without asking.'),
});
export type ManualTaskFields = z.output<typeof manualTaskSchema>;
