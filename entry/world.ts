/**
 * The world both composition roots (the CLI and the package's API) hand to
 * src/: the built-in handlers, registered once per process and loaded only
 * when first needed (`orchestrate --help` never loads a handler).
 * `#built-in-handlers` is handlers/built-in.ts (tsconfig.json `paths`, which
 * esbuild and vitest follow); the declaration build maps it to a stub, so the
 * package's types do not drag in every handler's.
 */
import type { ApiWorld } from '../src/api/options.js';
import type { HandlerRegistry } from '../src/engine/registry.js';

let builtIns: Promise<HandlerRegistry> | undefined;

export const world: ApiWorld = {
  builtIns: () => (builtIns ??= import('#built-in-handlers').then((module) => module.builtInRegistry())),
};
