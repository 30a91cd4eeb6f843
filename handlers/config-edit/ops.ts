/**
 * The shared language of config edits. An action never writes text: it looks
 * at the parsed file and returns semantic operations on the data. A format
 * engine (YAML, JSON, JS/TS config) turns the operations into the smallest
 * textual splice; the pipeline (edit.ts) then parses the result again and
 * checks that it equals the original data with the operations applied, so an
 * engine bug can never slip a collateral change into a user's file.
 */
import type { z } from 'zod';

/** A path into parsed data: map keys and sequence indices. */
export type DataPath = readonly (string | number)[];

/** One semantic change to a parsed configuration file. */
export type EditOp =
  /**
   * Create or replace the value at `path`; missing parent maps are created.
   * A new key's `comment` goes on the line above it; a replaced one-line
   * value's goes after it on its line. A new key goes after the sibling named
   * `after`, else before the one named `before`, else last (YAML block maps).
   */
  | { op: 'set'; path: DataPath; value: unknown; comment?: string; before?: string; after?: string }
  /** Remove a map key or a sequence item. */
  | { op: 'delete'; path: DataPath }
  /** Insert into the sequence at `path`, before `index` (`index` = length appends). */
  | { op: 'insert'; path: DataPath; index: number; value: unknown; comment?: string };

/** The kinds of file a format engine edits. */
export type FormatKind = 'yaml' | 'json' | 'js';

/** Parses and edits one kind of file, changing only the text of the edited values. */
export interface FormatEngine {
  kind: FormatKind;
  /**
   * The file's data. Throws a UserError naming file:line:col on a syntax error.
   * JS/TS configs give the config object, with expressions that are not plain
   * literals represented as `{ $expression: '<source text>' }`.
   */
  parse(text: string, file: string): unknown;
  /** The text with the operations applied, in order, everything else byte-identical. */
  apply(text: string, ops: readonly EditOp[], file: string): string;
}

/** True for `{ $expression: '<source>' }`, the JS/TS engine's stand-in for code that is not plain data. */
export function isExpressionValue(value: unknown): value is { $expression: string } {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as Record<string, unknown>).$expression === 'string'
  );
}

/** What an action found it has to do. */
export type ActionPlan =
  | { kind: 'ops'; ops: EditOp[]; summary: string; notes?: string[] }
  | { kind: 'not_applicable'; reason: string };

export interface ActionInput<P> {
  /** The file, relative to the target root. */
  file: string;
  format: FormatKind;
  /** The parsed file (see FormatEngine.parse). */
  data: unknown;
  params: P;
}

/** A named edit: a params schema and a function from parsed data to operations. */
export interface ConfigAction<P = unknown> {
  name: string;
  /** One sentence for docs and `plan`. */
  summary: string;
  params: z.ZodType<P>;
  /** The kinds of file it can edit; other files get a "not applicable" outcome. */
  formats: readonly FormatKind[];
  /**
   * The operations, computed from the data alone. Applied to its own output it
   * must return no operations (or operations that change nothing).
   * Throws a UserError for a selector that matches nothing when one match is
   * required, or several when one is expected.
   */
  plan(input: ActionInput<P>): ActionPlan;
  /**
   * Looks up, before planning, what the file alone cannot tell (an action's
   * commit SHA): the params plan() then gets, and notes on what was not found.
   */
  resolve?(input: ActionInput<P>, signal: AbortSignal | undefined): Promise<{ params: P; notes: string[] }>;
}

/** `value` with `ops` applied, as plain data; the input is not modified. */
export function applyOpsToData(value: unknown, ops: readonly EditOp[]): unknown {
  let root = clone(value);
  for (const op of ops) root = applyOne(root, op);
  return root;
}

function applyOne(root: unknown, op: EditOp): unknown {
  if (op.path.length === 0) {
    if (op.op === 'set') return clone(op.value);
    if (op.op === 'delete') return undefined;
  }
  const wrapper = { root };
  let parent: unknown = wrapper;
  let key: string | number = 'root';
  const steps: (string | number)[] = [...op.path];
  const last = op.op === 'insert' ? undefined : steps.pop();
  for (const step of steps) {
    const container = parent as Record<string | number, unknown>;
    if (own(container, key) === undefined || own(container, key) === null) {
      if (op.op !== 'set') throw new Error(`path ${formatPath(op.path)} does not exist`);
      put(container, key, {});
    }
    parent = own(container, key);
    key = step;
  }
  const container = parent as Record<string | number, unknown>;
  if (op.op === 'insert') {
    const seq = own(container, key);
    if (seq === undefined || seq === null) {
      put(container, key, [clone(op.value)]);
    } else if (Array.isArray(seq)) {
      seq.splice(op.index, 0, clone(op.value));
    } else {
      throw new Error(`path ${formatPath(op.path)} is not a sequence`);
    }
    return wrapper.root;
  }
  if (own(container, key) === undefined || own(container, key) === null) {
    if (op.op === 'delete') return wrapper.root;
    put(container, key, typeof last === 'number' ? [] : {});
  }
  const target = own(container, key) as Record<string | number, unknown> | unknown[];
  if (op.op === 'set') {
    put(target as Record<string | number, unknown>, last as string | number, clone(op.value));
  } else if (Array.isArray(target) && typeof last === 'number') {
    target.splice(last, 1);
  } else {
    delete (target as Record<string | number, unknown>)[last as string | number];
  }
  return wrapper.root;
}

/** A value the object holds itself: a key named `valueOf` or `constructor` is not the one every object inherits. */
function own(container: Record<string | number, unknown>, key: string | number): unknown {
  return Object.hasOwn(container, key) ? container[key] : undefined;
}

/** Set a key as data, even `__proto__`. */
function put(container: Record<string | number, unknown>, key: string | number, value: unknown): void {
  if (Array.isArray(container)) (container as unknown[])[key as number] = value;
  else Object.defineProperty(container, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Deep structural equality of parsed data (key order of maps ignored). */
export function dataEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') {
    return Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, index) => dataEqual(item, other[index]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left).filter((k) => left[k] !== undefined);
  const otherKeys = Object.keys(right).filter((k) => right[k] !== undefined);
  return keys.length === otherKeys.length && keys.every((k) => Object.hasOwn(right, k) && dataEqual(left[k], right[k]));
}

/** `jobs.test.steps[2]`, `coverageThreshold["./src/"]`: a path as people read it. */
export function formatPath(path: DataPath): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(step)) out += out === '' ? step : `.${step}`;
    else out += `[${JSON.stringify(step)}]`;
  }
  return out === '' ? '(the whole file)' : out;
}

function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}
