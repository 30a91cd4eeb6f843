/** `orchestrate schema`: the JSON Schema of phases.yaml, from the same zod schema the loader uses. */
import { planJsonSchema } from '../../config/plan-schema.js';
import type { CliIo } from '../io.js';

/** Print the JSON Schema. */
export async function schemaCommand(_args: unknown, io: CliIo): Promise<number> {
  io.stdout.write(`${JSON.stringify(planJsonSchema(), null, 2)}\n`);
  return 0;
}
