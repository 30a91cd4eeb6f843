/** `orchestrate plan`: the resolved execution order (the API's `planRun`) as a tree, JSON or a Mermaid graph. */
import { planRun } from '../../api/plan-run.js';
import { planToMermaid } from '../../plan/render/plan-mermaid.js';
import { planToTree } from '../../plan/render/plan-tree.js';
import type { CliContext } from '../context.js';
import type { CliIo } from '../io.js';
import type { GlobalOptions } from '../main.js';

interface PlanArgs extends GlobalOptions {
  phase: string[] | undefined;
  format: 'tree' | 'json' | 'mermaid';
}

/** Print the plan. */
export async function planCommand(args: PlanArgs, io: CliIo, context: CliContext): Promise<number> {
  const { plan, phases, json } = await planRun(context, { config: args.config, cwd: args.cwd, base: io.cwd, phases: args.phase });
  if (args.format === 'json') io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  else if (args.format === 'mermaid') io.stdout.write(planToMermaid(plan, phases));
  else io.stdout.write(planToTree(plan, phases, io.out));
  return 0;
}
