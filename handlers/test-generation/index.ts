/** The `test_generation` handler: tests that compile, pass and raise coverage. */
import type { Handler } from '../../src/engine/handler.js';
import { unavailable } from '../unavailable.js';
import { testGenerationTaskSchema, type TestGenerationTaskFields } from './schema.js';

export const testGenerationHandler: Handler<TestGenerationTaskFields> = {
  type: 'test_generation',
  summary: 'Generate tests for TS/JS or Python sources that compile, pass and raise coverage.',
  schema: testGenerationTaskSchema,
  describe: (task) => {
    const sources = task.target ?? (Array.isArray(task.targets) ? task.targets.join(', ') : task.targets) ?? '(no sources)';
    return `generate ${task.template ?? 'auto'} tests for ${sources}${task.test_file ? ` -> ${task.test_file}` : ''}`;
  },
  touches: (task) => (task.test_file && task.target ? [task.test_file] : []),
  run: async () => unavailable('test_generation'),
};
