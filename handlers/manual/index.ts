/** The `manual` handler: a person's step, settled by a prompt, `--yes`, `approve` or `verify`. */
import type { Handler } from '../../src/engine/handler.js';
import { manualParts } from './parts.js';
import { manualTaskSchema, type ManualTaskFields } from './schema.js';

export const manualHandler: Handler<ManualTaskFields> = { ...manualParts, schema: manualTaskSchema };
