/**
 * Every task type the product knows. The config schema is built from this
 * list, so adding a handler here is all it takes for plans to use it.
 */
import type { Handler } from '../src/engine/handler.js';
import { commandHandler } from './command/index.js';
import { configEditHandler } from './config-edit/index.js';
import { fileGenerationHandler } from './file-generation/index.js';
import { manualHandler } from './manual/index.js';
import { testGenerationHandler } from './test-generation/index.js';

// Handlers are generic over their own fields; the registry holds them side by side.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyHandler = Handler<any>; // any: each entry's field type differs, checked by its own schema

export const handlers: readonly AnyHandler[] = [
  configEditHandler,
  testGenerationHandler,
  fileGenerationHandler,
  manualHandler,
  commandHandler,
];

const byType = new Map(handlers.map((handler) => [handler.type, handler]));

/** The handler of a task type, or undefined. */
export function handlerFor(type: string): AnyHandler | undefined {
  return byType.get(type);
}

/** The known task type names, in registry order. */
export function handlerTypes(): string[] {
  return handlers.map((handler) => handler.type);
}
