/** `orchestrate schema`: the JSON Schema of phases.yaml (or, with --settings, of a settings file; with --fleet, of fleet.yaml), from the same zod schemas the loaders use. */
import { planJsonSchema } from '../../config/plan-schema.js';
import { fleetJsonSchema } from '../../fleet/fleet-schema.js';
import type { CliIo } from '../io.js';

/** Print the JSON Schema (of a settings file with --settings, of a fleet file with --fleet). */
export async function schemaCommand(args: { settings?: boolean; fleet?: boolean }, io: CliIo): Promise<number> {
  const schema = args.settings ? (await import('../../settings/json-schema.js')).settingsJsonSchema() : args.fleet ? fleetJsonSchema() : planJsonSchema();
  io.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
  return 0;
}
