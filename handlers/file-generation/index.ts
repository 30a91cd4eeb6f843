/** The `file_generation` handler: a file rendered from a Handlebars template. */
import type { Handler } from '../../src/engine/handler.js';
import { fileGenerationParts } from './parts.js';
import { fileGenerationTaskSchema, type FileGenerationTaskFields } from './schema.js';

export const fileGenerationHandler: Handler<FileGenerationTaskFields> = { ...fileGenerationParts, schema: fileGenerationTaskSchema };
