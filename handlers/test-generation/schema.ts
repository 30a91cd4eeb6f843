/** Fields of a `test_generation` task: tests that compile, pass and raise coverage. */
import { z } from 'zod';

export const testGenerationTaskSchema = z.object({
  target: z.string().min(1).optional().describe('One source file.'),
  targets: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
    .optional()
    .describe('A glob (or several) of source files; .gitignore is respected.'),
  template: z.enum(['auto', 'service', 'route', 'config', 'python']).optional().describe('Kind of test (default auto).'),
  test_file: z
    .string()
    .min(1)
    .optional()
    .describe('Where the test goes: a pattern with {dir}, {dir:src} (the folder below src/), {name} and {ext}, e.g. "{dir}/__tests__/{name}.test.ts". Default: where the repository keeps its tests, outside what its build compiles or publishes.'),
  framework: z.enum(['jest', 'vitest', 'pytest']).optional().describe('Force the test framework instead of detecting it.'),
  only_untested: z.boolean().optional().describe('Skip sources that already have a test file.'),
  overwrite: z.boolean().optional().describe('Replace an existing test file.'),
  verify: z.boolean().optional().describe('Run the generated tests and drop those that fail (default true).'),
  coverage: z.boolean().optional().describe('Keep the file only if coverage of the target does not go down.'),
  budget: z
    .number()
    .positive()
    .max(3600)
    .optional()
    .describe('Seconds the exploration may spend trying calls on one source (default 20); what is left untried is said in the log.'),
});
export type TestGenerationTaskFields = z.output<typeof testGenerationTaskSchema>;
