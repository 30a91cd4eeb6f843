/**
 * The plan loader's cache: a checked plan is stored with everything its
 * result depends on, by content (the plan's bytes, its plugins' files, the
 * `${VAR}`s it expanded and whether each was set and readable, the handler
 * set, the orchestrate build), and used only when every one of them is still
 * the same; any difference is a miss and the plan is loaded afresh. Only
 * plans that passed every check are stored, so problems are always reported
 * by a full load.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ExpandOptions, ExpandUse } from '../config/expand-env.js';
import type { LoadedConfig, ParsedPlan } from '../config/load.js';
import { lazyDiagnose, loadParser } from '../config/lazy-diagnose.js';
import type { PlanSource } from '../config/plan-source.js';
import { sha256, survivesJson, type CacheEntry } from '../config/cache-entry.js';
import type { PlanCache } from '../config/plan-cache.js';
import type { PlanConfig } from '../config/schema.js';
import { registryForPlan } from '../config/plugins.js';
import type { HandlerRegistry } from '../engine/registry.js';
import { peekOf } from './plan-peek.js';

/** The load a hit gives: what `checkPlanFile` returns for a plan that passed its checks. */
export interface CachedLoad {
  loaded: LoadedConfig;
  registry: HandlerRegistry;
}

interface Lookup {
  cache: PlanCache;
  /** The plan file, absolute. */
  file: string;
  source: PlanSource;
  builtIns: HandlerRegistry;
  expand: ExpandOptions | undefined;
  refusePlugins: (() => Error) | undefined;
}

/**
 * The cached load of a plan when every input is unchanged; undefined (a miss,
 * counted) otherwise. Under `refusePlugins` a plan naming plugins is refused
 * here, before any is imported, as a full load would.
 */
export async function loadCached(lookup: Lookup): Promise<CachedLoad | undefined> {
  const { cache, file, source, builtIns } = lookup;
  const entry = cache.takeEntry(file);
  const stale = entry === undefined ? 'no entry' : staleReason(entry, lookup);
  if (entry === undefined || stale !== undefined) {
    cache.miss(file, stale ?? 'no entry');
    return undefined;
  }
  if (lookup.refusePlugins && entry.peek.handlers) throw lookup.refusePlugins();
  // A plugin's problem is located (and the load is a miss): the parser is wanted only with plugins.
  if (entry.peek.handlers) await loadParser();
  const diagnose = lazyDiagnose(source);
  // Plugins are imported as on a full load (their handlers run the tasks); what they are is then compared.
  const plugins = await registryForPlan({ raw: { handlers: entry.handlers }, diagnose }, path.dirname(file), builtIns);
  const pluginsStale =
    plugins.diagnostics.length > 0
      ? 'a plugin failed to load'
      : !sameFiles(entry.files, plugins.files)
        ? 'a plugin file changed'
        : handlerSet(plugins.registry) !== entry.registry
          ? 'the plugins define other task types'
          : undefined;
  if (pluginsStale !== undefined) {
    cache.miss(file, pluginsStale);
    return undefined;
  }
  cache.hit(file);
  return { loaded: { source, config: entry.config as PlanConfig, raw: entry.raw, diagnose }, registry: plugins.registry };
}

interface Store {
  cache: PlanCache;
  file: string;
  parsed: ParsedPlan;
  loaded: LoadedConfig;
  builtIns: HandlerRegistry;
  registry: HandlerRegistry;
  pluginFiles: string[];
  expand: ExpandOptions | undefined;
  envUsed: ExpandUse[];
}

/** Store a plan that passed every check; a result JSON cannot carry unchanged (a plugin's Date, say) is not stored. */
export async function storeLoad(store: Store): Promise<void> {
  const { cache, file, parsed, loaded } = store;
  if (!survivesJson(loaded.config) || !survivesJson(loaded.raw)) return;
  const handlers = parsed.raw['handlers'] ?? null;
  if (!survivesJson(handlers)) return;
  const files = hashFiles(store.pluginFiles);
  if (files === undefined) return;
  const entry: CacheEntry = {
    build: cache.build,
    plan: { path: file, sha256: loaded.source.sha256 },
    base: handlerSet(store.builtIns),
    registry: handlerSet(store.registry),
    expand: store.expand !== undefined,
    env: store.envUsed.map((use) => ({ name: use.name, value: use.value ?? null, allowed: use.allowed })),
    files,
    handlers,
    peek: peekOf(parsed.raw, file),
    config: loaded.config,
    raw: loaded.raw,
  };
  await cache.store(entry);
}

/** Why an entry no longer holds for this load, checked before anything is imported. */
function staleReason(entry: CacheEntry, lookup: Lookup): string | undefined {
  if (entry.plan.sha256 !== lookup.source.sha256) return 'the plan changed';
  if (entry.base !== handlerSet(lookup.builtIns)) return 'another handler set';
  if (entry.expand !== (lookup.expand !== undefined)) return '${VAR} expansion turned on or off';
  const { expand } = lookup;
  if (expand) {
    for (const use of entry.env) {
      if ((expand.env[use.name] ?? null) !== use.value) return `\${${use.name}} changed`;
      if ((expand.mayRead ? expand.mayRead(use.name) : true) !== use.allowed) return `\${${use.name}} readable or not`;
    }
  }
  return undefined;
}

/** The task types of a registry and where each came from, as one string. */
export function handlerSet(registry: HandlerRegistry): string {
  return registry
    .types()
    .map((type) => {
      const origin = registry.originOf(type);
      return `${type}\t${origin?.kind ?? ''}\t${origin?.name ?? ''}`;
    })
    .join('\n');
}

function hashFiles(files: readonly string[]): { path: string; sha256: string }[] | undefined {
  try {
    return files.map((file) => ({ path: file, sha256: sha256(readFileSync(file)) }));
  } catch {
    return undefined;
  }
}

function sameFiles(stored: readonly { path: string; sha256: string }[], now: readonly string[]): boolean {
  if (stored.length !== now.length) return false;
  const hashed = hashFiles(now);
  return hashed !== undefined && hashed.every((file, i) => file.path === stored[i]?.path && file.sha256 === stored[i]?.sha256);
}
