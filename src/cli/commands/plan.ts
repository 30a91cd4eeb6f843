/** `orchestrate plan`: the resolved execution order as a tree, JSON or a Mermaid graph, under the layered settings. */
import { selectPhases } from '../../api/plan-run.js';
import { planToJson } from '../../plan/render/plan-json.js';
import { planToMermaid } from '../../plan/render/plan-mermaid.js';
import { planToTree } from '../../plan/render/plan-tree.js';
import { parseShard } from '../../plan/shard.js';
import { phasesForShard } from '../../plan/shard-view.js';
import { loadPlanUnderSettings } from '../../settings/prepare.js';
import type { CliContext } from '../context.js';
import { refusalLines } from '../refusal-lines.js';
import type { CliIo } from '../io.js';
import type { GlobalOptions } from '../main.js';

interface PlanArgs extends GlobalOptions {
  phase: string[] | undefined;
  shard: string | undefined;
  format: 'tree' | 'json' | 'mermaid';
}

/** Print the plan. */
export async function planCommand(args: PlanArgs, io: CliIo, context: CliContext): Promise<number> {
  const shard = args.shard === undefined ? undefined : parseShard(String(args.shard));
  const { plan, settings, refusals, registry } = await loadPlanUnderSettings(args, io, context);
  const selected = selectPhases(plan, args.phase);
  const phases = shard ? phasesForShard(selected, (type) => registry.handlerFor(type)?.splitsWork === true, shard) : selected;
  const selectedTasks = new Set(phases.flatMap((p) => p.groups.flatMap((g) => g.tasks.map((t) => t.id))));
  const selectedPhases = new Set(phases.map((p) => p.id));
  const shown = refusals.filter((r) => (r.taskId ? selectedTasks.has(r.taskId) : r.checkpoint ? selectedPhases.has(r.checkpoint.phaseId) : true));
  if (args.format === 'json') {
    const trust = settings.trust.value === 'untrusted' ? { trust: 'untrusted', refused: shown.map(({ rule, subject, taskId, checkpoint, message }) => ({ rule, subject, taskId, checkpoint, message })) } : {};
    const sharded = shard ? { shard: { index: shard.index, count: shard.count } } : {};
    io.stdout.write(`${JSON.stringify({ ...planToJson(plan, phases), ...sharded, ...trust }, null, 2)}\n`);
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
