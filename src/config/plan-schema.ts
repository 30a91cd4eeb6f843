/**
 * The plan schema of a handler registry (the built-ins and a plan's plugins),
 * built once per registry and cached, and its JSON Schema.
 */
import { z } from 'zod';
import type { HandlerRegistry } from '../engine/registry.js';
import { buildPlanSchema, type PlanSchema } from './schema.js';

interface Built {
  schema: PlanSchema;
  json?: Record<string, unknown>;
  keyNames?: Set<string>;
}

const built = new WeakMap<HandlerRegistry, Built>();

function entry(registry: HandlerRegistry): Built {
  let found = built.get(registry);
  if (!found) {
    found = { schema: buildPlanSchema(registry.handlers()) };
    built.set(registry, found);
  }
  return found;
}

/** The zod schema of phases.yaml with the registry's task types. */
export function planSchemaFor(registry: HandlerRegistry): PlanSchema {
  return entry(registry).schema;
}

/** The JSON Schema of phases.yaml, for editors and `orchestrate schema`. */
export function planJsonSchema(registry: HandlerRegistry): Record<string, unknown> {
  const found = entry(registry);
  if (found.json) return found.json;
  const schema = z.toJSONSchema(found.schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  found.json = {
    $schema: schema.$schema,
    $id: 'https://orchestrate.dev/schema/phases.schema.json',
    title: 'orchestrate plan (phases.yaml)',
    ...schema,
  };
  return found.json;
}

/** Every key the schema knows, for "did you mean" on unknown keys. */
export function schemaKeyNames(registry: HandlerRegistry): Set<string> {
  const found = entry(registry);
  if (found.keyNames) return found.keyNames;
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
  walk(planJsonSchema(registry));
  found.keyNames = names;
  return names;
}
