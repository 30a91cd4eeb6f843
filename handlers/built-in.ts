/**
 * The task types shipped with orchestrate. The composition roots (the CLI and
 * the programmatic API) register them in a HandlerRegistry as a plugin's
 * handlers are registered, but deferred: each handler's parts without its
 * schema now (parts.ts, no zod), its whole handler (index.ts) loaded when a
 * plan is checked, so that a plan taken from the cache loads no schema code.
 * src/ never imports this folder.
 */
import { HandlerRegistry } from '../src/engine/registry.js';
import { commandParts } from './command/parts.js';
import { configEditParts } from './config-edit/parts.js';
import { fileGenerationParts } from './file-generation/parts.js';
import { manualParts } from './manual/parts.js';
import { testGenerationParts } from './test-generation/parts.js';

/** The built-in handlers' parts and whole-handler loaders, in the order `orchestrate schema` lists them. */
const builtIns = [
  [configEditParts, async () => (await import('./config-edit/index.js')).configEditHandler],
  [testGenerationParts, async () => (await import('./test-generation/index.js')).testGenerationHandler],
  [fileGenerationParts, async () => (await import('./file-generation/index.js')).fileGenerationHandler],
  [manualParts, async () => (await import('./manual/index.js')).manualHandler],
  [commandParts, async () => (await import('./command/index.js')).commandHandler],
] as const;

/** A registry holding the built-in handlers only, their schemas not yet loaded (`load()` loads them). */
export function builtInRegistry(): HandlerRegistry {
  const registry = new HandlerRegistry();
  for (const [parts, load] of builtIns) registry.registerDeferred(parts, load, { kind: 'built-in', name: 'orchestrate' });
  return registry;
}

/** A registry holding the built-in handlers whole, schemas loaded: for checking plans directly. */
export function loadedBuiltInRegistry(): Promise<HandlerRegistry> {
  return builtInRegistry().load();
}
