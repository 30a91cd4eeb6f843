/** The `command` handler: runs a program in the target repository. */
import type { Handler } from '../../src/engine/handler.js';
import { commandParts } from './parts.js';
import { commandTaskSchema, type CommandTaskFields } from './schema.js';

export const commandHandler: Handler<CommandTaskFields> = { ...commandParts, schema: commandTaskSchema };
