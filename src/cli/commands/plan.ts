/** `orchestrate plan`: the resolved execution order as a tree, JSON or a Mermaid graph. */
import { UserError } from '../../errors.js';
import { planToJson } from '../../plan/render/plan-json.js';
import { planToMermaid } from '../../plan/render/plan-mermaid.js';
import { planToTree } from '../../plan/render/plan-tree.js';
import type { Plan, PlannedPhase } from '../../plan/types.js';
import { loadPlanUnderSettings } from '../../settings/prepare.js';
import { refusalLines } from '../refusal-lines.js';
import type { CliIo } from '../io.js';
import type { GlobalOptions } from '../main.js';

interface PlanArgs extends GlobalOptions {
  phase: string[] | undefined;
  format: 'tree' | 'json' | 'mermaid';
}

/** Print the plan. */
export async function planCommand(args: PlanArgs, io: CliIo): Promise<number> {
  const { plan, settings, refusals } = await loadPlanUnderSettings(args, io);
  const phases = selectPhases(plan, args.phase);
  const selectedTasks = new Set(phases.flatMap((p) => p.groups.flatMap((g) => g.tasks.map((t) => t.id))));
  const selectedPhases = new Set(phases.map((p) => p.id));
  const shown = refusals.filter((r) => (r.taskId ? selectedTasks.has(r.taskId) : r.checkpoint ? selectedPhases.has(r.checkpoint.phaseId) : true));
  if (args.format === 'json') {
    const trust = settings.trust.value === 'untrusted' ? { trust: 'untrusted', refused: shown.map(({ rule, subject, taskId, checkpoint, message }) => ({ rule, subject, taskId, checkpoint, message })) } : {};
    io.stdout.write(`${JSON.stringify({ ...planToJson(plan, phases), ...trust }, null, 2)}\n`);
  } else if (args.format === 'mermaid') io.stdout.write(planToMermaid(plan, phases));
  else io.stdout.write(planToTree(plan, phases, io.out));
  // Under untrusted, what a run would refuse; on stderr for mermaid, whose output is a graph to paste.
  if (settings.trust.value === 'untrusted' && args.format !== 'json') {
    const stream = args.format === 'mermaid' ? io.stderr : io.stdout;
    const style = args.format === 'mermaid' ? io.err : io.out;
    stream.write(`${refusalLines(shown, style)}\n`);
  }
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
