/** Fields of a `command` task: a program run in the target repository. */
import { z } from 'zod';
import { durationSchema } from '../../src/config/duration-schema.js';

export const commandTaskSchema = z.object({
  run: z
    .union([z.string().min(1), z.array(z.string()).min(1)])
    .describe('The program and its arguments: an array, or a string split into words (no shell unless shell: true).'),
  shell: z.boolean().optional().describe('Run `run` (a string) through the system shell.'),
  env: z.record(z.string(), z.string()).optional().describe('Extra environment variables.'),
  cwd: z.string().optional().describe('Working directory relative to the target root.'),
  exit_codes: z.array(z.int()).min(1).optional().describe('Exit codes that count as success (default [0]).'),
  kill_grace: durationSchema.optional().describe('Time between SIGTERM and SIGKILL when the task is cancelled (default 5s).'),
});
export type CommandTaskFields = z.output<typeof commandTaskSchema>;
