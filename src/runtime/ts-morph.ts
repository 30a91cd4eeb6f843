/**
 * Loads ts-morph (and the TypeScript compiler it bundles) through CommonJS
 * `require`, not `import()`. ts-morph is a CommonJS package without a "type"
 * field: an ESM import of it makes Node compile its 1 MB entry once to tell
 * whether it is ESM, then scan it for export names, before compiling it again
 * to run it. `require` compiles it once, and goes through Module._compile,
 * where the compile cache (compile-cache.ts) can serve it.
 */
import { createRequire } from 'node:module';
import type * as TsMorph from 'ts-morph';

let loaded: typeof TsMorph | undefined;

/** The ts-morph module, loaded on the first call. */
export function loadTsMorph(): typeof TsMorph {
  loaded ??= createRequire(import.meta.url)('ts-morph') as typeof TsMorph;
  return loaded;
}
