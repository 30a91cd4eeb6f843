/** `orchestrate schema`: the JSON Schema of phases.yaml (or, with --settings, of a settings file), from the same zod schema the loader uses. */
import { planJsonSchema } from '../../config/plan-schema.js';
import type { CliIo } from '../io.js';

/** Print the JSON Schema (of a settings file with --settings). */
export async function schemaCommand(args: { settings?: boolean }, io: CliIo): Promise<number> {
  const schema = args.settings ? (await import('../../settings/json-schema.js')).settingsJsonSchema() : planJsonSchema();
  io.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
  return 0;
}
