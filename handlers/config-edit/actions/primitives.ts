/**
 * The generic edits at a selector path (selectors.ts), the base the named
 * actions stand on and the escape hatch of a plan: `yaml_set`, `yaml_delete`,
 * `yaml_merge`, `yaml_append` for YAML files, `json_set` and `json_delete` for
 * JSON files. Each is idempotent: applied to its own output it plans nothing.
 */
import { z } from 'zod';
import { UserError } from '../../../src/errors.js';
import { dataEqual, formatPath, type ActionPlan, type ConfigAction, type DataPath, type EditOp, type FormatKind } from '../ops.js';
import { parseSelector, selectForWrite, selectMany } from '../selectors.js';

const selector = z
  .string({ error: 'give the path to edit, e.g. jobs.test.steps[0].with' })
  .min(1, { error: 'the path must not be empty' })
  // A malformed selector is found by `orchestrate validate`, at the param, before any file is read.
  .superRefine((text, ctx) => {
    try {
      parseSelector(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof UserError ? error.message : String(error) });
    }
  })
  .describe('Where to edit: dotted keys, [index], ["quoted key"], *, or item selectors like steps[uses^=actions/checkout].');
const all = z.boolean().optional().describe('Edit every place the path matches (default: exactly one must match).');

const setParams = z.strictObject({
  path: selector,
  value: z.unknown().refine((v) => v !== undefined, { error: 'give the value to set' }).describe('The new value.'),
  all,
});
const deleteParams = z.strictObject({ path: selector, all });
const mergeParams = z.strictObject({
  path: selector,
  value: z.record(z.string(), z.unknown(), { error: 'give value as a map of keys to merge' }).describe('Keys to add or change; nested maps merge too.'),
});
const appendParams = z.strictObject({
  path: selector,
  value: z.unknown().refine((v) => v !== undefined, { error: 'give the item to append' }).describe('The item to append.'),
  unique: z.boolean().optional().describe('Skip the append when an equal item is already there (default true).'),
});

export type SetParams = z.output<typeof setParams>;
export type DeleteParams = z.output<typeof deleteParams>;
export type MergeParams = z.output<typeof mergeParams>;
export type AppendParams = z.output<typeof appendParams>;

function makeSet(name: string, format: FormatKind): ConfigAction<SetParams> {
  return {
    name,
    summary: 'Set the value at a path, creating missing maps on the way.',
    params: setParams,
    formats: [format],
    plan({ file, data, params }) {
      let paths: DataPath[];
      try {
        paths = selectForWrite(data, params.path, { file, expect: params.all === true ? 'many' : 'one' });
      } catch (error) {
        const done = alreadySet(data, params, file);
        if (!done) throw error;
        return plan([], `set ${describe(done)} in ${file}`);
      }
      const ops: EditOp[] = paths.filter((p) => !dataEqual(valueAt(data, p), params.value)).map((p) => ({ op: 'set', path: p, value: params.value }));
      return plan(ops, `set ${describe(paths)} in ${file}`);
    },
  };
}

/**
 * A set whose selector picks items by the very field it sets
 * (`steps[uses=actions/checkout@v3].uses` to `actions/checkout@v4`) matches
 * nothing once it is done. The edit is in place when the selector, asking
 * for the new value instead, reaches items that hold it: the paths, else
 * undefined.
 */
function alreadySet(data: unknown, params: SetParams, file: string): DataPath[] | undefined {
  const value = params.value;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  const sel = parseSelector(params.path);
  let rewritten = false;
  const segments = sel.segments.map((segment, i) => {
    if (segment.kind !== 'match') return segment;
    const rest = sel.segments.slice(i + 1);
    const setsTheField = rest.length === segment.field.length && rest.every((s, j) => s.kind === 'key' && s.key === segment.field[j]);
    if (!setsTheField) return segment;
    rewritten = true;
    return { kind: 'match' as const, field: segment.field, operator: '=' as const, value: String(value) };
  });
  if (!rewritten) return undefined;
  try {
    const paths = selectForWrite(data, { text: sel.text, segments }, { file, expect: params.all === true ? 'many' : 'one' });
    return paths.every((p) => dataEqual(valueAt(data, p), value)) ? paths : undefined;
  } catch {
    return undefined;
  }
}

function makeDelete(name: string, format: FormatKind): ConfigAction<DeleteParams> {
  return {
    name,
    summary: 'Delete the key or item at a path (nothing to do when it is already gone).',
    params: deleteParams,
    formats: [format],
    plan({ file, data, params }) {
      const sel = parseSelector(params.path);
      const paths = selectMany(data, sel, { file, allowNone: true });
      if (paths.length === 0) {
        // Already gone is fine (a second run); a parent that does not exist is a wrong path.
        if (sel.segments.length > 1) selectMany(data, { text: sel.text, segments: sel.segments.slice(0, -1) }, { file });
        return plan([], '');
      }
      if (paths.length > 1 && params.all !== true) selectForWrite(data, sel, { file, expect: 'one' });
      // Later items first, so earlier sequence indices stay valid.
      const ops: EditOp[] = [...paths].reverse().map((p) => ({ op: 'delete', path: p }));
      return plan(ops, `delete ${describe(paths)} from ${file}`);
    },
  };
}

/** `yaml_merge`: add the keys of `value` into the map at `path`, nested maps merged key by key. */
export const yamlMerge: ConfigAction<MergeParams> = {
  name: 'yaml_merge',
  summary: 'Merge keys into the map at a path, creating it when missing; other keys stay.',
  params: mergeParams,
  formats: ['yaml'],
  plan({ file, data, params }) {
    const [target] = selectForWrite(data, params.path, { file, expect: 'one' });
    const ops = mergeOps(data, target!, params.value, file);
    return plan(ops, `merge ${Object.keys(params.value).join(', ')} into ${formatPath(target!)} in ${file}`);
  },
};

/** `yaml_append`: add an item to the end of the sequence at `path` unless an equal item is there. */
export const yamlAppend: ConfigAction<AppendParams> = {
  name: 'yaml_append',
  summary: 'Append an item to the sequence at a path (creating it), unless an equal item is there.',
  params: appendParams,
  formats: ['yaml'],
  plan({ file, data, params }) {
    const [target] = selectForWrite(data, params.path, { file, expect: 'one' });
    const current = valueAt(data, target!);
    if (current !== undefined && current !== null && !Array.isArray(current)) {
      throw new UserError(`${file}: ${formatPath(target!)} (selector "${params.path}") is not a sequence, so nothing can be appended to it`, {
        retryable: false,
        file,
        hint: 'Point the path at a list, or use yaml_set to replace the value.',
      });
    }
    const items = (current ?? []) as unknown[];
    if (params.unique !== false && items.some((item) => dataEqual(item, params.value))) return plan([], '');
    return plan([{ op: 'insert', path: target!, index: items.length, value: params.value }], `append to ${formatPath(target!)} in ${file}`);
  },
};

export const yamlSet = makeSet('yaml_set', 'yaml');
export const yamlDelete = makeDelete('yaml_delete', 'yaml');
export const jsonSet = makeSet('json_set', 'json');
export const jsonDelete = makeDelete('json_delete', 'json');

/** Set ops that merge `value` into the map at `path`; equal values plan nothing. */
export function mergeOps(data: unknown, path: DataPath, value: Record<string, unknown>, file: string): EditOp[] {
  const current = valueAt(data, path);
  if (current === undefined || current === null) return Object.keys(value).length === 0 ? [] : [{ op: 'set', path, value }];
  if (!isMap(current)) {
    throw new UserError(`${file}: ${formatPath(path)} is not a map, so keys cannot be merged into it`, {
      retryable: false,
      file,
      hint: 'Point the path at a map, or use yaml_set to replace the value.',
    });
  }
  const ops: EditOp[] = [];
  for (const [key, next] of Object.entries(value)) {
    const before = current[key];
    if (isMap(before) && isMap(next)) ops.push(...mergeOps(data, [...path, key], next, file));
    else if (!dataEqual(before, next)) ops.push({ op: 'set', path: [...path, key], value: next });
  }
  return ops;
}

/** The value at a concrete path, or undefined when it does not exist. */
export function valueAt(data: unknown, path: DataPath): unknown {
  let node = data;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(paths: DataPath[]): string {
  return paths.length === 1 ? formatPath(paths[0]!) : `${paths.length} places`;
}

function plan(ops: EditOp[], summary: string): ActionPlan {
  return { kind: 'ops', ops, summary };
}
