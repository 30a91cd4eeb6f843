/**
 * The compile cache (src/runtime/compile-cache.ts) as the environment
 * configures it: beside the plan cache, in `code/` of the same directory, so
 * `ORCHESTRATE_CACHE_DIR` moves both and `ORCHESTRATE_NO_CACHE=1` turns both
 * off; `ORCHESTRATE_DEBUG=cache` asks for a line on stderr at exit saying
 * what it did, when it did anything (a command that loads no large CommonJS
 * file says nothing, and Node's own cache reports nothing).
 */
import path from 'node:path';
import { enableCompileCache, type CompileCacheHandle } from '../runtime/compile-cache.js';
import { planCacheDir } from './plan-cache-env.js';

type Env = Record<string, string | undefined>;

/** Turn the compile cache on unless the environment turns caching off; `debug` gets its summary at exit. */
export function compileCacheFromEnv(env: Env, processCwd: string, debug?: (line: string) => void): CompileCacheHandle | undefined {
  const dir = planCacheDir(env, processCwd);
  if (dir === undefined) return undefined;
  const handle = enableCompileCache(path.join(dir, 'code'));
  const wanted = (env.ORCHESTRATE_DEBUG ?? '').split(/[\s,]+/).some((word) => word === 'cache' || word === '*' || word === 'all');
  if (wanted && debug !== undefined) {
    process.once('exit', () => {
      const line = describeCompileCache(handle);
      if (line !== undefined) debug(line);
    });
  }
  return handle;
}

/** One line on what the compile cache did in this process; undefined when it did nothing it can tell. */
export function describeCompileCache(handle: CompileCacheHandle): string | undefined {
  if (handle.kind === 'node') return undefined;
  const { hits, misses, ignored, stored, unwritable } = handle.stats;
  if (hits + misses + ignored + stored + unwritable === 0) return undefined;
  return `compile cache: ${hits} hit${hits === 1 ? '' : 's'}, ${misses} missed, ${ignored} ignored, ${stored} stored, ${unwritable} not writable, in ${handle.dir}`;
}
