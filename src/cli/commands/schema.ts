/**
 * `orchestrate schema`: the JSON Schema of phases.yaml (the API's
 * `jsonSchema`), from the same zod schema the loader uses. With `--config`,
 * the plan's plugins' task types are in it too.
 */
import { jsonSchema } from '../../api/load.js';
import type { CliContext } from '../context.js';
import type { CliIo } from '../io.js';
import type { GlobalOptions } from '../main.js';

/** Print the JSON Schema. */
export async function schemaCommand(args: GlobalOptions, io: CliIo, context: CliContext): Promise<number> {
  const schema = await jsonSchema(context, { config: args.config, cwd: args.cwd, base: io.cwd });
  io.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
  return 0;
}
