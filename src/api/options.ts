/**
 * What every function of the programmatic API takes: which plan, which
 * target, and the world the composition root built (the built-in handlers).
 */
import type { Handler } from '../engine/handler.js';
import { HandlerRegistry } from '../engine/registry.js';
import type { ExpandOptions } from '../config/expand-env.js';
import type { PlanCache } from '../config/plan-cache.js';
import type { PlanLocation } from '../plan/load-plan.js';

/** What the composition root hands the API (and the CLI): the built-in handlers. */
export interface ApiWorld {
  /** The built-in handlers, registered once per process; a plan's plugins are added per plan. */
  builtIns(): Promise<HandlerRegistry>;
}

/** Which plan, and which repository it works on. */
export interface PlanOptions {
  /** The plan file; default: config/phases.yaml, else phases.yaml, in `base` and then in `cwd`. */
  config?: string | undefined;
  /** The target repository; overrides the plan's `project.root`. */
  cwd?: string | undefined;
  /** The folder relative paths are read from (default: the process's working directory). */
  base?: string | undefined;
  /** Handlers to use beside the built-ins and the plan's own `handlers:` plugins. */
  handlers?: readonly Handler<never>[] | undefined;
  /** Expand `${VAR}` in the plan's strings from this environment (left as written when absent). */
  expand?: ExpandOptions | undefined;
  /** Run-wide defaults from settings layers, applied to the plan's `defaults` before resolving. */
  adjustDefaults?: PlanLocation['adjustDefaults'];
  /** When set, a plan naming plugins is refused with this error before any plugin is imported. */
  refusePlugins?: PlanLocation['refusePlugins'];
  /**
   * Cache checked plans here (`new PlanCache({ dir, build })`): an unchanged plan is then not
   * parsed again. Not used together with `handlers`, whose schemas the cache cannot see.
   */
  cache?: PlanCache | undefined;
  /**
   * With `cache`: on a hit, leave the YAML parser unloaded, so that `loaded.diagnose`
   * names a problem by its YAML path at line 1 instead of locating it. For callers
   * that locate nothing after loading (the CLI, whose start-up it shortens).
   */
  lightHit?: boolean | undefined;
  /** The plan file as already read by the caller. */
  preread?: PlanLocation['preread'];
}

/** The location the loader reads. */
export function locationOf(options: PlanOptions): PlanLocation {
  return {
    config: options.config,
    cwd: options.cwd,
    processCwd: options.base ?? process.cwd(),
    expand: options.expand,
    adjustDefaults: options.adjustDefaults,
    refusePlugins: options.refusePlugins,
    cache: options.handlers && options.handlers.length > 0 ? undefined : options.cache,
    preread: options.preread,
  };
}

/** The built-ins, plus handlers given in the options, registered as plugins are. */
export async function baseRegistry(world: ApiWorld, options: PlanOptions): Promise<HandlerRegistry> {
  const builtIns = await world.builtIns();
  if (!options.handlers || options.handlers.length === 0) return builtIns;
  const registry = builtIns.copy();
  for (const handler of options.handlers) registry.register(handler, { kind: 'plugin', name: 'given in the options' });
  return registry;
}
