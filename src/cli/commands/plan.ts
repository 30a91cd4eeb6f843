/** `orchestrate plan`: the resolved execution order as a tree, JSON or a Mermaid graph. */
import { UserError } from '../../errors.js';
import { loadPlan } from '../../plan/load-plan.js';
import { planToJson } from '../../plan/render/plan-json.js';
import { planToMermaid } from '../../plan/render/plan-mermaid.js';
import { planToTree } from '../../plan/render/plan-tree.js';
import type { Plan, PlannedPhase } from '../../plan/types.js';
import type { CliIo } from '../io.js';
import type { CliContext } from '../context.js';
import type { GlobalOptions } from '../main.js';

interface PlanArgs extends GlobalOptions {
  phase: string[] | undefined;
  format: 'tree' | 'json' | 'mermaid';
}

/** Print the plan. */
export async function planCommand(args: PlanArgs, io: CliIo, context: CliContext): Promise<number> {
  const { plan } = await loadPlan({ config: args.config, cwd: args.cwd, processCwd: io.cwd }, await context.builtIns());
  const phases = selectPhases(plan, args.phase);
  if (args.format === 'json') io.stdout.write(`${JSON.stringify(planToJson(plan, phases), null, 2)}\n`);
  else if (args.format === 'mermaid') io.stdout.write(planToMermaid(plan, phases));
  else io.stdout.write(planToTree(plan, phases, io.out));
  return 0;
}

/** The phases named by --phase, in plan order; all when none is named. */
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
