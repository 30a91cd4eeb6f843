/** The `test_generation` handler: tests that compile, pass and raise coverage. */
import type { Handler } from '../../src/engine/handler.js';
import { testGenerationParts } from './parts.js';
import { testGenerationTaskSchema, type TestGenerationTaskFields } from './schema.js';

export const testGenerationHandler: Handler<TestGenerationTaskFields> = { ...testGenerationParts, schema: testGenerationTaskSchema };
