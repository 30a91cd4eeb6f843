/** The `config_edit` handler: minimal-diff edits of workflows, test configs and package.json. */
import type { Handler } from '../../src/engine/handler.js';
import { configEditParts } from './parts.js';
import { configEditTaskSchema, type ConfigEditTaskFields } from './schema.js';

export const configEditHandler: Handler<ConfigEditTaskFields> = { ...configEditParts, schema: configEditTaskSchema };
