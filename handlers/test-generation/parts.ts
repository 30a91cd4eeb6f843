/**
 * The `test_generation` handler without its schema: what a checked plan's
 * tasks need (kept free of zod, so a plan taken from the cache loads none).
 * index.ts adds the schema.
 */
import type { HandlerParts } from '../../src/engine/handler.js';
import { defaultPattern, testFileFor } from './test-file-pattern.js';
import type { TestGenerationTaskFields } from './schema.js';

export const testGenerationParts: HandlerParts<TestGenerationTaskFields> = {
  type: 'test_generation',
  summary: 'Generate tests for TS/JS or Python sources that compile, pass and raise coverage.',
  // Each source is generated on its own, so a sharded run splits the sources over its jobs.
  splitsWork: true,
  describe: (task) => {
    const sources = task.target ?? (Array.isArray(task.targets) ? task.targets.join(', ') : task.targets) ?? '(no sources)';
    return `generate ${task.template ?? 'auto'} tests for ${sources}${task.test_file ? ` -> ${task.test_file}` : ''}`;
  },
  touches: (task) => {
    // A glob's files, and a test file placed by the repository's conventions, are known only when the task runs.
    if (!task.target || (!task.test_file && !task.target.endsWith('.py'))) return [];
    try {
      return [testFileFor(task.test_file ?? defaultPattern(task.target), task.target)];
    } catch {
      return []; // a bad pattern is reported when the task runs
    }
  },
  run: async (task, ctx) => {
    const { placeTests } = await import('./place-tests.js');
    return (await import('./run.js')).runTestGeneration(await placeTests(task, ctx), ctx);
  },
};
