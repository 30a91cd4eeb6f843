/**
 * `loadPlan` and `validatePlan`: a plan read, its plugins loaded, checked and
 * resolved, as `orchestrate validate` and every other command see it.
 */
import type { Diagnostic } from '../config/diagnostics.js';
import { loadParser } from '../config/lazy-diagnose.js';
import { PlanError } from '../errors.js';
import { checkPlanFile, resolveChecked, type LoadedPlan } from '../plan/load-plan.js';
import { baseRegistry, locationOf, type ApiWorld, type PlanOptions } from './options.js';

export type { LoadedPlan };

/** What `validatePlan` found: the resolved plan, or every located problem. */
export type ValidationResult = ({ valid: true; diagnostics: [] } & LoadedPlan) | { valid: false; diagnostics: Diagnostic[] };

/** Load, check and resolve a plan; throws PlanError with every located problem. */
export async function loadPlan(world: ApiWorld, options: PlanOptions = {}): Promise<LoadedPlan> {
  const result = await validatePlan(world, options);
  if (!result.valid) throw new PlanError(result.diagnostics);
  return result;
}

/** Check a plan (schema, plugins, graph); problems are returned, not thrown. A missing plan file still throws UserError. */
export async function validatePlan(world: ApiWorld, options: PlanOptions = {}): Promise<ValidationResult> {
  const location = locationOf(options);
  const checked = await checkPlanFile(location, await baseRegistry(world, options));
  if (!checked.ok) return { valid: false, diagnostics: checked.diagnostics };
  // A hit's locator parses the plan when first used; the parser is loaded for it unless the caller will not use it.
  if (!options.lightHit) await loadParser();
  return { valid: true, diagnostics: [], ...resolveChecked(checked, location) };
}

/** The JSON Schema of phases.yaml; with `config`, the plan's plugins' task types are in it too. */
export async function jsonSchema(world: ApiWorld, options: PlanOptions = {}): Promise<Record<string, unknown>> {
  let registry = await baseRegistry(world, options);
  if (options.config !== undefined) {
    const checked = await checkPlanFile(locationOf(options), registry);
    if (!checked.ok) throw new PlanError(checked.diagnostics);
    registry = checked.registry;
  }
  // zod and the handlers' schemas: loaded here, never on the path of a plan taken from the cache.
  const [{ planJsonSchema }] = await Promise.all([import('../config/plan-schema.js'), registry.load()]);
  return planJsonSchema(registry);
}
