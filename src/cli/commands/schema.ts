/**
 * `orchestrate schema`: the JSON Schema of phases.yaml (the API's
 * `jsonSchema`), from the same zod schema the loader uses. With `--config`,
 * the plan's plugins' task types are in it too; `--settings` and `--fleet`
 * print the schema of a settings file and of fleet.yaml.
 */
import { jsonSchema } from '../../api/load.js';
import { fleetJsonSchema } from '../../fleet/fleet-schema.js';
import type { CliContext } from '../context.js';
import type { CliIo } from '../io.js';
import type { GlobalOptions } from '../main.js';

/** Print the JSON Schema (of a settings file with --settings, of a fleet file with --fleet). */
export async function schemaCommand(args: GlobalOptions & { settings?: boolean; fleet?: boolean }, io: CliIo, context: CliContext): Promise<number> {
  const schema = args.settings
    ? (await import('../../settings/json-schema.js')).settingsJsonSchema()
    : args.fleet
      ? fleetJsonSchema()
      : await jsonSchema(context, { config: args.config, cwd: args.cwd, base: io.cwd });
  io.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
  return 0;
}
