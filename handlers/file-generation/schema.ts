/** Fields of a `file_generation` task: a file rendered from a Handlebars template. */
import { z } from 'zod';

export const fileGenerationTaskSchema = z.object({
  template: z.string().min(1).describe('Template name, e.g. fixtures/users.'),
  target: z.string().min(1).describe('The file to write, relative to the target root.'),
  mode: z
    .enum(['create', 'skip_if_exists', 'overwrite'])
    .optional()
    .describe('create (default): fail if the target exists and differs; skip_if_exists; overwrite.'),
});
export type FileGenerationTaskFields = z.output<typeof fileGenerationTaskSchema>;
