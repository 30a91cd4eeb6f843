/** The plan schema with every registered handler, built once, and its JSON Schema. */
import { z } from 'zod';
import { handlers } from '../../handlers/registry.js';
import { buildPlanSchema } from './schema.js';

export const planSchema = buildPlanSchema(handlers);

/** The JSON Schema of phases.yaml, for editors and `orchestrate schema`. */
export function planJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(planSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    $id: 'https://orchestrate.dev/schema/phases.schema.json',
    title: 'orchestrate plan (phases.yaml)',
    ...schema,
  };
}

let keyNames: Set<string> | undefined;

/** Every key the schema knows, for "did you mean" on unknown keys. */
export function schemaKeyNames(): Set<string> {
  if (keyNames) return keyNames;
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'properties' && value && typeof value === 'object') Object.keys(value).forEach((k) => names.add(k));
        walk(value);
      }
    }
  };
  walk(planJsonSchema());
  keyNames = names;
  return names;
}
