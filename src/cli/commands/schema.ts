/**
 * `orchestrate schema`: the JSON Schema of phases.yaml, from the same zod
 * schema the loader uses. With `--config`, the plan's plugins' task types are
 * in it too.
 */
import { planJsonSchema } from '../../config/plan-schema.js';
import { ConfigError } from '../../errors.js';
import { checkPlanFile } from '../../plan/load-plan.js';
import type { CliContext } from '../context.js';
import type { CliIo } from '../io.js';
import type { GlobalOptions } from '../main.js';

/** Print the JSON Schema. */
export async function schemaCommand(args: GlobalOptions, io: CliIo, context: CliContext): Promise<number> {
  let registry = await context.builtIns();
  if (args.config !== undefined) {
    const checked = await checkPlanFile({ config: args.config, cwd: args.cwd, processCwd: io.cwd }, registry);
    if (!checked.ok) throw new ConfigError(checked.diagnostics);
    registry = checked.registry;
  }
  io.stdout.write(`${JSON.stringify(planJsonSchema(registry), null, 2)}\n`);
  return 0;
}
