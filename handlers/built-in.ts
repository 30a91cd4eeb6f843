/**
 * The task types shipped with orchestrate. The composition roots (the CLI and
 * the programmatic API) register them in a HandlerRegistry exactly as a
 * plugin's handlers are registered; src/ never imports this folder.
 */
import { HandlerRegistry } from '../src/engine/registry.js';
import { commandHandler } from './command/index.js';
import { configEditHandler } from './config-edit/index.js';
import { fileGenerationHandler } from './file-generation/index.js';
import { manualHandler } from './manual/index.js';
import { testGenerationHandler } from './test-generation/index.js';

/** The built-in handlers, in the order `orchestrate schema` lists them. */
export const builtInHandlers = [configEditHandler, testGenerationHandler, fileGenerationHandler, manualHandler, commandHandler] as const;

/** A registry holding the built-in handlers only. */
export function builtInRegistry(): HandlerRegistry {
  return HandlerRegistry.of(builtInHandlers, { kind: 'built-in', name: 'orchestrate' });
}
