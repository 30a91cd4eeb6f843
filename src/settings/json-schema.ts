/** The JSON Schema of a settings file, for editors and `orchestrate schema --settings`, from the same zod schema the reader uses. */
import { z } from 'zod';
import { settingsSchema } from './schema.js';

/** The JSON Schema of `.orchestrate/config.yaml` and the user's settings file. */
export function settingsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(settingsSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    $id: 'https://orchestrate.dev/schema/settings.schema.json',
    title: 'orchestrate settings (~/.config/orchestrate/config.yaml, .orchestrate/config.yaml)',
    ...schema,
  };
}
