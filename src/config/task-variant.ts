/**
 * One task type's branch of the plan schema: the fields every task has, the
 * `type` literal, and the handler's own fields. A handler's zod 4 object is
 * merged in as it is (its checks and JSON Schema notes carry over). A schema
 * from another zod (a plugin's own zod 3, say) is not merged but asked: the
 * task's own fields go through its `safeParse`, and its issues become ours, at
 * the same paths.
 */
import { z } from 'zod';
import type { TaskFieldsSchema } from '../engine/handler.js';

type BaseShape = z.ZodRawShape;

/** How the union sees every branch: the common fields, the literal type, and fields of the handler's own. */
export type TaskVariant<S extends BaseShape> = z.ZodObject<S & { type: z.ZodLiteral<string> }, z.core.$strict>;

/** A zod 4 object schema (ours or another copy of zod 4), whose fields can be merged. */
interface Zod4Object {
  shape: z.ZodRawShape;
  _zod: { def: { type: string; checks?: unknown[] } };
  meta?: () => Record<string, unknown> | undefined;
}

function isZod4Object(schema: TaskFieldsSchema): schema is TaskFieldsSchema & Zod4Object {
  const candidate = schema as Partial<Zod4Object>;
  return candidate._zod?.def?.type === 'object' && typeof candidate.shape === 'object' && candidate.shape !== null;
}

/** The branch of the task union for `type`. */
export function taskVariant<S extends BaseShape>(type: string, schema: TaskFieldsSchema, baseShape: S): TaskVariant<S> {
  // Each branch has its own field types; the union sees them all as this one shape (checked by the branch at run time).
  return (isZod4Object(schema) ? mergedVariant(type, schema, baseShape) : askedVariant(type, schema, baseShape)) as unknown as TaskVariant<S>;
}

/** A branch with a zod 4 object's fields merged in. */
function mergedVariant(type: string, schema: Zod4Object, baseShape: BaseShape) {
  adoptDescriptions(schema.shape);
  const variant = z.strictObject({ ...baseShape, type: z.literal(type), ...schema.shape });
  // A handler's checks across its fields (config_edit: params by action) and its JSON Schema additions carry over.
  const checks = (schema._zod.def.checks ?? []) as z.core.$ZodCheck<z.output<typeof variant>>[];
  const withChecks = checks.length > 0 ? variant.check(...checks) : variant;
  const meta = metadataOf(schema);
  return meta === undefined ? withChecks : withChecks.meta(meta);
}

/**
 * A handler schema's metadata, its parents' under its own (as zod's
 * `.meta()` reads it), copied with its getters left as getters: zod's
 * `.meta()` spreads them, and a handler may compute a costly note only when
 * a JSON Schema is made (config_edit's params by action), not whenever the
 * plan schema is built. A schema of another zod copy, unknown to this
 * registry, is asked through its own `.meta()`.
 */
function metadataOf(schema: Zod4Object): Record<string, unknown> | undefined {
  const chain: unknown[] = [];
  for (let at: unknown = schema; at !== undefined; at = (at as { _zod?: { parent?: unknown } })._zod?.parent) chain.unshift(at);
  const registered = chain.map((at) => z.globalRegistry._map.get(at as z.ZodType) as Record<string, unknown> | undefined);
  if (registered.every((meta) => meta === undefined)) return typeof schema.meta === 'function' ? schema.meta() : undefined;
  const merged: Record<string, unknown> = {};
  registered.forEach((meta, i) => {
    if (meta) Object.defineProperties(merged, Object.getOwnPropertyDescriptors(meta));
    // An id is the schema's own; a parent's is not inherited.
    if (i < chain.length - 1) delete merged.id;
  });
  return Object.keys(merged).length > 0 ? merged : undefined;
}

/**
 * A plugin's own copy of zod keeps `.describe()` texts in its own registry;
 * copy them into ours so that `orchestrate schema` shows them to editors.
 */
function adoptDescriptions(shape: z.ZodRawShape): void {
  for (const field of Object.values(shape)) {
    if (z.globalRegistry.has(field)) continue;
    const meta = (field as { meta?: () => Record<string, unknown> | undefined }).meta;
    const found = typeof meta === 'function' ? meta.call(field) : undefined;
    if (found && Object.keys(found).length > 0) z.globalRegistry.add(field, found);
  }
}

/** A branch that hands the task's own fields to a foreign schema's safeParse. */
function askedVariant(type: string, schema: TaskFieldsSchema, baseShape: BaseShape) {
  const own = ownKeys(schema);
  const common = { ...baseShape, type: z.literal(type) };
  // Known field names make unknown keys an error, as for built-ins; without them, the plugin's schema decides.
  const object =
    own === undefined
      ? z.looseObject(common)
      : z.strictObject({ ...common, ...Object.fromEntries(own.filter((key) => !(key in common)).map((key) => [key, z.unknown()])) });
  return object.superRefine((value, ctx) => {
    const fields: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) if (!(key in common)) fields[key] = field;
    const result = schema.safeParse(fields);
    if (result.success) {
      // The plugin's defaults and transforms apply, as zod's would for a built-in.
      if (result.data && typeof result.data === 'object') Object.assign(value, result.data);
      return;
    }
    for (const issue of issuesOf(result.error)) {
      const missing = valueAt(fields, issue.path) === undefined;
      ctx.addIssue({ code: 'custom', path: issue.path, message: missing ? 'this field is required' : issue.message, input: valueAt(fields, issue.path) });
    }
  });
}

/** The field names of a zod-like object schema (zod 3's `shape`), when it has them. */
function ownKeys(schema: TaskFieldsSchema): string[] | undefined {
  const shape = (schema as { shape?: unknown }).shape;
  const value = typeof shape === 'function' ? (shape as () => unknown).call(schema) : shape;
  return value && typeof value === 'object' ? Object.keys(value) : undefined;
}

interface ForeignIssue {
  path: (string | number)[];
  message: string;
}

/** zod 3 and zod 4 errors both carry `issues` with a path and a message; anything else is one issue. */
function issuesOf(error: unknown): ForeignIssue[] {
  const issues = (error as { issues?: unknown } | undefined)?.issues;
  if (Array.isArray(issues) && issues.length > 0) {
    return issues.map((issue: { path?: unknown; message?: unknown }) => ({
      path: Array.isArray(issue.path) ? issue.path.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number') : [],
      message: typeof issue.message === 'string' ? issue.message : 'is not valid',
    }));
  }
  return [{ path: [], message: error instanceof Error ? error.message : 'the task\'s fields are not valid' }];
}

function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
