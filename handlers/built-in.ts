/**
 * The task types shipped with orchestrate. The composition roots (the CLI and
 * the programmatic API) register them in a HandlerRegistry as a plugin's
 * handlers are registered, but deferred: each handler's parts without its
 * schema now (parts.ts, no zod), its whole handler (the parts and schema.ts,
 * as index.ts exports it) loaded when a plan is checked, so that a plan taken
 * from the cache loads no schema code.
 * src/ never imports this folder.
 */
import { HandlerRegistry } from '../src/engine/registry.js';
import { commandParts } from './command/parts.js';
import { configEditParts } from './config-edit/parts.js';
import { fileGenerationParts } from './file-generation/parts.js';
import { manualParts } from './manual/parts.js';
import { testGenerationParts } from './test-generation/parts.js';

/**
 * The built-in handlers' parts and their whole handlers' loaders, in the order
 * `orchestrate schema` lists them. A loader imports the schema module and
 * joins it to the parts, as each index.ts does: importing index.ts here would
 * have the bundler put every parts module in a chunk of its own.
 */
const builtIns = [
  [configEditParts, async () => ({ ...configEditParts, schema: (await import('./config-edit/schema.js')).configEditTaskSchema })],
  [testGenerationParts, async () => ({ ...testGenerationParts, schema: (await import('./test-generation/schema.js')).testGenerationTaskSchema })],
  [fileGenerationParts, async () => ({ ...fileGenerationParts, schema: (await import('./file-generation/schema.js')).fileGenerationTaskSchema })],
  [manualParts, async () => ({ ...manualParts, schema: (await import('./manual/schema.js')).manualTaskSchema })],
  [commandParts, async () => ({ ...commandParts, schema: (await import('./command/schema.js')).commandTaskSchema })],
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
