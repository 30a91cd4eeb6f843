/**
 * Finding, loading, checking and resolving a plan: the one entry point used by
 * `validate`, `plan`, `run` and `status`, so that all of them see the same plan.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { LoadedConfig, LoadResult, parsePlanText } from '../config/load.js';
import { readPlanSource, type PlanSource } from '../config/plan-source.js';
import type { Diagnostic } from '../config/diagnostics.js';
import type { ExpandOptions } from '../config/expand-env.js';
import type { PlanCache } from '../config/plan-cache.js';
import type { PlanConfig } from '../config/schema.js';
import { registryForPlan } from '../config/plugins.js';
import type { HandlerRegistry } from '../engine/registry.js';
import { ConfigError, UserError } from '../errors.js';
import { loadCached, storeLoad } from './cached-load.js';
import { extractGraph } from './graph.js';
import { checkGraph } from './graph-checks.js';
import { namesPlugins } from './plan-peek.js';
import { resolvePlan } from './resolve.js';
import type { Plan } from './types.js';

export const DEFAULT_CONFIG_PATHS = ['config/phases.yaml', 'phases.yaml'] as const;

export interface PlanLocation {
  /** `--config` as given, if any. */
  config?: string | undefined;
  /** `--cwd` as given, if any. */
  cwd?: string | undefined;
  /** The process working directory. */
  processCwd: string;
  /** Expand `${VAR}` in the plan's strings (left as written when absent). */
  expand?: ExpandOptions | undefined;
  /** Run-wide defaults from the settings layers, applied to the plan's `defaults` before resolving. */
  adjustDefaults?: ((defaults: PlanConfig['defaults']) => PlanConfig['defaults']) | undefined;
  /** When set, a plan naming plugins is refused with this error before any plugin is imported (untrusted). */
  refusePlugins?: (() => Error) | undefined;
  /** Where checked plans are cached; without it every load parses and checks the plan. */
  cache?: PlanCache | undefined;
  /** The plan file as already read (and perhaps parsed) by the caller, so it is read and parsed once. */
  preread?: PrereadPlan | undefined;
}

/** A plan file read before loading: by the settings layer, which needs its `project.root` first. */
export interface PrereadPlan {
  /** Absolute path of the plan file. */
  absolute: string;
  source: PlanSource;
  /** The parse, when one was needed before loading. */
  parsed?: ReturnType<typeof parsePlanText> | undefined;
}

/** Which plan file to read: `--config`, else config/phases.yaml or phases.yaml here, then under `--cwd`. */
export function findPlanFile(location: PlanLocation): { absolute: string; display: string } {
  if (location.config) {
    return { absolute: path.resolve(location.processCwd, location.config), display: location.config };
  }
  const bases = [location.processCwd, ...(location.cwd ? [path.resolve(location.processCwd, location.cwd)] : [])];
  for (const base of bases) {
    for (const candidate of DEFAULT_CONFIG_PATHS) {
      const absolute = path.join(base, candidate);
      if (existsSync(absolute)) return { absolute, display: path.relative(location.processCwd, absolute) || candidate };
    }
  }
  throw new UserError(`no plan found: looked for ${DEFAULT_CONFIG_PATHS.join(' and ')}`, {
    hint: 'pass --config PATH, or create config/phases.yaml (`orchestrate schema` prints its format)',
  });
}

export type CheckResult = { ok: true; loaded: LoadedConfig; registry: HandlerRegistry } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Schema and graph checks together, so that one run reports every problem.
 * Two steps: the YAML is parsed and its `handlers:` plugins are loaded onto
 * `builtIns`, then the whole plan is checked against that registry's schema.
 * With `location.cache`, a plan whose every input is unchanged since it last
 * passed is taken from the cache instead (no YAML, no schema check), and a
 * plan that passes is stored there.
 */
export async function checkPlanFile(location: PlanLocation, builtIns: HandlerRegistry): Promise<CheckResult & { file: string }> {
  const file = findPlanFile(location);
  const preread = location.preread?.absolute === file.absolute && location.preread.source.file === file.display ? location.preread : undefined;
  const source = preread?.source ?? (await readPlanSource(file.absolute, file.display));
  // A plan piped in (--config /dev/stdin) has no stable content to key on.
  const cache = location.cache && statSync(file.absolute, { throwIfNoEntry: false })?.isFile() ? location.cache : undefined;
  if (cache) {
    const hit = await loadCached({ cache, file: file.absolute, source, builtIns, expand: location.expand, refusePlugins: location.refusePlugins });
    if (hit) return { ok: true, ...hit, file: file.absolute };
  }
  // The parser (and yaml, zod's plan schema, the handlers' schemas) is loaded on a miss only.
  const [{ parsePlanText, checkPlanSchema }] = await Promise.all([import('../config/load.js'), builtIns.load()]);
  const parsed = preread?.parsed ?? parsePlanText(source);
  let result: LoadResult = parsed.ok ? { ok: false, diagnostics: [], raw: parsed.raw, diagnose: parsed.diagnose } : parsed;
  let registry = builtIns;
  let pluginFiles: string[] = [];
  if (parsed.ok) {
    // Importing a plugin runs its code: refused before it happens, not after.
    if (location.refusePlugins && namesPlugins(parsed.raw['handlers'])) throw location.refusePlugins();
    const plugins = await registryForPlan(parsed, path.dirname(file.absolute), builtIns);
    // Without its plugins the plan's tasks of their types would only add "unknown type" noise.
    if (plugins.diagnostics.length > 0) return { ok: false, diagnostics: plugins.diagnostics, file: file.absolute };
    registry = plugins.registry;
    pluginFiles = plugins.files;
    result = checkPlanSchema(parsed, await registry.load(), { expand: location.expand });
  }
  const graphProblems = result.ok
    ? checkGraph(extractGraph(result.loaded.raw), result.loaded.diagnose)
    : result.diagnose
      ? checkGraph(extractGraph(result.raw), result.diagnose)
      : [];
  if (result.ok && graphProblems.length === 0) {
    if (cache && parsed.ok) await storeLoad({ cache, file: file.absolute, parsed, loaded: result.loaded, builtIns, registry, pluginFiles, expand: location.expand, envUsed: result.envUsed });
    return { ok: true, loaded: result.loaded, registry, file: file.absolute };
  }
  const diagnostics = [...(result.ok ? [] : result.diagnostics), ...graphProblems].sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: false, diagnostics: dedupe(diagnostics), file: file.absolute };
}

/** A plan ready to run, with the registry (built-ins and plugins) its tasks run with. */
export interface LoadedPlan {
  plan: Plan;
  loaded: LoadedConfig;
  /** Absolute path of the plan file. */
  file: string;
  registry: HandlerRegistry;
}

/** Load, check and resolve; throws ConfigError with every problem. */
export async function loadPlan(location: PlanLocation, builtIns: HandlerRegistry): Promise<LoadedPlan> {
  const checked = await checkPlanFile(location, builtIns);
  if (!checked.ok) throw new ConfigError(checked.diagnostics);
  return resolveChecked(checked, location);
}

/** Resolve a plan that passed its checks (without reading the file again: a plan piped in can be read once). */
export function resolveChecked(checked: Extract<CheckResult, { ok: true }> & { file: string }, location: PlanLocation): LoadedPlan {
  const { loaded, registry } = checked;
  const root = location.cwd
    ? path.resolve(location.processCwd, location.cwd)
    : loaded.config.project?.root
      ? path.resolve(path.dirname(checked.file), loaded.config.project.root)
      : location.processCwd;
  const config = location.adjustDefaults ? { ...loaded.config, defaults: location.adjustDefaults(loaded.config.defaults) } : loaded.config;
  const plan = resolvePlan(config, { source: { file: loaded.source.file, sha256: loaded.source.sha256 }, root, registry });
  // templates_dir is written relative to the plan file, like project.root.
  if (plan.templatesDir !== undefined) plan.templatesDir = path.resolve(path.dirname(checked.file), plan.templatesDir);
  return { plan, loaded, file: checked.file, registry };
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.line}:${d.column}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
