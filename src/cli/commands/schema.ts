/** `orchestrate schema`: the JSON Schema of phases.yaml (or, with --fleet, of fleet.yaml), from the same zod schema the loader uses. */
import { planJsonSchema } from '../../config/plan-schema.js';
import { fleetJsonSchema } from '../../fleet/fleet-schema.js';
import type { CliIo } from '../io.js';

/** Print the JSON Schema. */
export async function schemaCommand(args: { fleet?: boolean }, io: CliIo): Promise<number> {
  io.stdout.write(`${JSON.stringify(args.fleet ? fleetJsonSchema() : planJsonSchema(), null, 2)}\n`);
  return 0;
}
