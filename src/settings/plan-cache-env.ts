/**
 * The plan cache as the environment configures it: on by default, in the
 * user's cache directory (`$XDG_CACHE_HOME/orchestrate`, else
 * `~/.cache/orchestrate`); `ORCHESTRATE_CACHE_DIR` puts it elsewhere,
 * `ORCHESTRATE_NO_CACHE=1` turns it off, and `ORCHESTRATE_DEBUG=cache` asks
 * for one line per cache decision on stderr.
 */
import os from 'node:os';
import path from 'node:path';
import { BUILD_ID } from '../config/build-id.js';
import { PlanCache, type PlanCacheEvent } from '../config/plan-cache.js';

type Env = Record<string, string | undefined>;

/** The directory the plan cache lives in, or undefined when it is turned off. */
export function planCacheDir(env: Env, processCwd: string): string | undefined {
  const off = env.ORCHESTRATE_NO_CACHE;
  if (off !== undefined && off !== '' && off !== '0' && off.toLowerCase() !== 'false') return undefined;
  if (env.ORCHESTRATE_CACHE_DIR) return path.resolve(processCwd, env.ORCHESTRATE_CACHE_DIR);
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(env.HOME || os.homedir(), '.cache');
  return path.join(base, 'orchestrate');
}

/** The plan cache for a command; `debug` receives its decisions when ORCHESTRATE_DEBUG names `cache`. */
export function planCacheFromEnv(env: Env, processCwd: string, debug?: (line: string) => void): PlanCache | undefined {
  const dir = planCacheDir(env, processCwd);
  if (dir === undefined) return undefined;
  const wanted = (env.ORCHESTRATE_DEBUG ?? '').split(/[\s,]+/).some((word) => word === 'cache' || word === '*' || word === 'all');
  return new PlanCache({ dir, build: BUILD_ID, onEvent: wanted && debug ? (event) => debug(describeEvent(event)) : undefined });
}

/** One line for a cache decision, as ORCHESTRATE_DEBUG=cache prints it. */
export function describeEvent(event: PlanCacheEvent): string {
  switch (event.kind) {
    case 'hit':
      return `plan cache: hit for ${event.plan}`;
    case 'miss':
      return `plan cache: miss for ${event.plan} (${event.reason})`;
    case 'ignored':
      return `plan cache: ignored ${event.file} (${event.reason})`;
    case 'stored':
      return `plan cache: stored ${event.file}`;
    case 'unwritable':
      return `plan cache: cannot write ${event.file} (${event.reason}); going on without it`;
  }
}
