/** `planRun`: what a run would do, in order: the resolved plan and the phases chosen, as `orchestrate plan` shows them. */
import { UserError } from '../errors.js';
import { planToJson } from '../plan/render/plan-json.js';
import type { Plan, PlannedPhase } from '../plan/types.js';
import { loadPlan, type LoadedPlan } from './load.js';
import type { ApiWorld, PlanOptions } from './options.js';

export interface PlanRunOptions extends PlanOptions {
  /** Only these phases (ids, comma-separated lists allowed); all when left out. */
  phases?: readonly string[] | undefined;
}

export interface PlannedRun extends LoadedPlan {
  /** The phases chosen, in plan order, each with its waves of groups and tasks. */
  phases: PlannedPhase[];
  /** The same as `orchestrate plan --format json` prints (docs/plan-json.md). */
  json: Record<string, unknown>;
}

/** Load the plan and pick the phases to show or run. */
export async function planRun(world: ApiWorld, options: PlanRunOptions = {}): Promise<PlannedRun> {
  const loaded = await loadPlan(world, options);
  const phases = selectPhases(loaded.plan, options.phases);
  return { ...loaded, phases, json: planToJson(loaded.plan, phases) };
}

/** The phases named, in plan order; all when none is named. */
export function selectPhases(plan: Plan, ids: readonly string[] | undefined): PlannedPhase[] {
  if (!ids || ids.length === 0) return plan.phases;
  const wanted = ids.flatMap((id) => String(id).split(',')).map((id) => id.trim());
  const known = new Set(plan.phases.map((p) => p.id));
  const unknown = wanted.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new UserError(`no phase ${unknown.map((id) => `"${id}"`).join(', ')} in ${plan.source.file}`, {
      hint: `phases are: ${[...known].join(', ')}`,
    });
  }
  return plan.phases.filter((p) => wanted.includes(p.id));
}
