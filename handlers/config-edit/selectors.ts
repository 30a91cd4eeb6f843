/**
 * Selector paths: how a plan points into a parsed config file. A selector is
 * written as people read a path (`jobs.test.steps[2]`, `coverageThreshold["./src/"]`)
 * and may pick items by content (`steps[uses^=aquasecurity/trivy-action]`) or
 * take every key or item (`jobs.*`). Resolving a selector against data gives
 * concrete `DataPath`s for the edit operations; a selector that matches nothing
 * where something is required, or several where one is expected, is a
 * UserError naming the file, the path reached and the selector.
 *
 * Syntax, segment by segment:
 * - `key` (letters, digits, `_`, `-`, `$`, `/`, `@`; `:` and `+` after the first), separated by dots;
 * - `["any key"]` or `['any key']`: a quoted key (dots, brackets, spaces);
 * - `[2]`: a sequence index; `[-1]`: the last item;
 * - `*` or `[*]`: every key of a map, every item of a sequence;
 * - `[field=value]`, `[field^=prefix]`, `[field$=suffix]`, `[field*=part]`,
 *   `[field~=/regex/flags]`: the items of a sequence (or values of a map) whose
 *   `field` (a dotted path inside the item) is a scalar matching; the value
 *   may be quoted.
 */
import { UserError } from '../../src/errors.js';
import { formatPath, type DataPath } from './ops.js';

/** How an item selector compares a field with its value. */
export type MatchOperator = '=' | '^=' | '$=' | '*=' | '~=';

/** One step of a selector. */
export type Segment =
  | { kind: 'key'; key: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'match'; field: string[]; operator: MatchOperator; value: string; regex?: RegExp };

/** A parsed selector, with the text it came from for messages. */
export interface Selector {
  text: string;
  segments: Segment[];
}

/** Where a selector is resolved, for messages: the file it points into. */
export interface SelectContext {
  file: string;
}

const BARE_KEY = /^[A-Za-z0-9_$@/-][A-Za-z0-9_$@/:+-]*/;

/** Parse selector text; a syntax error is a UserError pointing at the column. */
export function parseSelector(text: string): Selector {
  const segments: Segment[] = [];
  let pos = 0;
  const fail = (what: string): never => {
    throw new UserError(`selector "${text}": ${what} at column ${pos + 1}`, {
      retryable: false,
      hint: 'Write paths like jobs.test.steps[0], jobs.*.steps[uses^=actions/checkout] or coverageThreshold["./src/"].',
    });
  };
  if (text.trim() === '') fail('the selector is empty');
  let expectDot = false;
  while (pos < text.length) {
    const ch = text[pos];
    if (ch === '[') {
      const close = findClose(text, pos);
      if (close < 0) fail('"[" is not closed');
      segments.push(parseBracket(text.slice(pos + 1, close), fail));
      pos = close + 1;
      expectDot = true;
      continue;
    }
    if (expectDot) {
      if (ch !== '.') fail('expected "." or "["');
      pos += 1;
      if (pos >= text.length) fail('the selector ends with "."');
    }
    if (text[pos] === '*') {
      segments.push({ kind: 'wildcard' });
      pos += 1;
    } else {
      const bare = BARE_KEY.exec(text.slice(pos));
      if (bare === null) fail(`unexpected "${text[pos] ?? ''}" (quote keys with other characters: ["a key"])`);
      segments.push({ kind: 'key', key: bare![0] });
      pos += bare![0].length;
    }
    expectDot = true;
  }
  return { text, segments };
}

/** The index of the `]` closing the bracket opened at `open`, skipping quotes and regexes. */
function findClose(text: string, open: number): number {
  let quote: string | undefined;
  for (let i = open + 1; i < text.length; i += 1) {
    const ch = text[i];
    if (quote !== undefined) {
      if (ch === '\\') i += 1;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '/' && text.slice(open + 1, i).trimEnd().endsWith('~=')) {
      quote = '/';
    } else if (ch === ']') {
      return i;
    }
  }
  return -1;
}

function parseBracket(inner: string, fail: (what: string) => never): Segment {
  const body = inner.trim();
  if (body === '*') return { kind: 'wildcard' };
  if (/^-?\d+$/.test(body)) return { kind: 'index', index: Number(body) };
  if (/^(["']).*\1$/s.test(body)) return { kind: 'key', key: unquote(body, fail) };
  const item = /^([\w@/.-]+)\s*(\^=|\$=|\*=|~=|=)\s*(.*)$/s.exec(body);
  if (item !== null) {
    const field = item[1]!;
    const operator = item[2] as MatchOperator;
    const rawValue = item[3]!;
    if (field.split('.').some((part) => part === '')) fail(`"${field}" is not a field name`);
    if (operator === '~=') {
      const re = /^\/(.*)\/([a-z]*)$/s.exec(rawValue);
      if (re === null) fail(`write the pattern of ${field}~= as /regex/`);
      try {
        return { kind: 'match', field: field.split('.'), operator, value: re![1]!, regex: new RegExp(re![1]!, re![2]) };
      } catch (error) {
        fail(`the pattern ${rawValue} is not a valid regular expression (${(error as Error).message})`);
      }
    }
    const value = /^(["']).*\1$/s.test(rawValue) ? unquote(rawValue, fail) : rawValue;
    return { kind: 'match', field: field.split('.'), operator, value };
  }
  return fail(`"[${inner}]" is neither an index, a quoted key, * nor an item selector like [name=build]`);
}

function unquote(quoted: string, fail: (what: string) => never): string {
  if (quoted.startsWith("'")) return quoted.slice(1, -1).replace(/\\(.)/g, '$1');
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return fail(`${quoted} is not a valid quoted key`);
  }
}

/** True when the selector names one concrete path (keys and indices only, no negative index). */
export function isConcrete(selector: Selector): boolean {
  return selector.segments.every((s) => s.kind === 'key' || (s.kind === 'index' && s.index >= 0));
}

/** A concrete path as selector text (the inverse of parseSelector for keys and indices). */
export function selectorText(path: DataPath): string {
  return formatPath(path);
}

/** Every existing path the selector reaches in `data`, in document order. */
export function selectAll(data: unknown, selector: Selector | string): DataPath[] {
  return resolve(data, toSelector(selector)).paths;
}

/** The one path the selector reaches; a UserError when it reaches none or several. */
export function selectOne(data: unknown, selector: Selector | string, context: SelectContext): DataPath {
  const sel = toSelector(selector);
  const { paths, stoppedAt } = resolve(data, sel);
  if (paths.length === 0) throw noMatch(sel, stoppedAt, context);
  if (paths.length > 1) throw tooMany(sel, paths, context);
  return paths[0]!;
}

/** Every path the selector reaches; a UserError when it reaches none (unless `allowNone`). */
export function selectMany(
  data: unknown,
  selector: Selector | string,
  context: SelectContext & { allowNone?: boolean },
): DataPath[] {
  const sel = toSelector(selector);
  const { paths, stoppedAt } = resolve(data, sel);
  if (paths.length === 0 && context.allowNone !== true) throw noMatch(sel, stoppedAt, context);
  return paths;
}

/**
 * The paths to write for a set-like edit: the selector's last keys need not
 * exist (a set creates them), but its item selectors, wildcards and indices
 * must match something. `expect: 'one'` requires exactly one target.
 */
export function selectForWrite(
  data: unknown,
  selector: Selector | string,
  context: SelectContext & { expect: 'one' | 'many' },
): DataPath[] {
  const sel = toSelector(selector);
  let lastDynamic = -1;
  sel.segments.forEach((segment, i) => {
    if (segment.kind !== 'key') lastDynamic = i;
  });
  const head: Selector = { text: sel.text, segments: sel.segments.slice(0, lastDynamic + 1) };
  const tail = sel.segments.slice(lastDynamic + 1).map((s) => (s as { key: string }).key);
  let prefixes: DataPath[];
  if (head.segments.length === 0) {
    prefixes = [[]];
  } else {
    const found = resolve(data, head);
    if (found.paths.length === 0) throw noMatch(sel, found.stoppedAt, context);
    prefixes = found.paths;
  }
  // A key under a scalar cannot be created: the scalar would be replaced silently.
  const paths = prefixes.map((prefix) => [...prefix, ...tail]);
  for (const path of paths) {
    let node: unknown = data;
    for (const [i, step] of path.entries()) {
      if (node === undefined || node === null) break;
      if (typeof node !== 'object' || (Array.isArray(node) && typeof step !== 'number') || (!Array.isArray(node) && typeof step === 'number')) {
        throw new UserError(
          `${context.file}: selector "${sel.text}" goes through ${formatPath(path.slice(0, i))}, which is ${describe(node)}, not a ${typeof step === 'number' ? 'sequence' : 'map'}`,
          { retryable: false, file: context.file, hint: 'Point the selector at a map key or a sequence item that exists.' },
        );
      }
      node = (node as Record<string | number, unknown>)[step];
    }
  }
  if (context.expect === 'one' && paths.length > 1) throw tooMany(sel, paths, context);
  return paths;
}

function toSelector(selector: Selector | string): Selector {
  return typeof selector === 'string' ? parseSelector(selector) : selector;
}

interface Resolution {
  paths: DataPath[];
  /** The deepest path (and the segment) where the last candidate failed to match. */
  stoppedAt: { path: DataPath; segment: number };
}

function resolve(data: unknown, selector: Selector): Resolution {
  let current: { path: DataPath; node: unknown }[] = [{ path: [], node: data }];
  let stoppedAt = { path: [] as DataPath, segment: 0 };
  for (const [i, segment] of selector.segments.entries()) {
    const next: { path: DataPath; node: unknown }[] = [];
    for (const candidate of current) next.push(...step(candidate.path, candidate.node, segment));
    if (next.length === 0) {
      stoppedAt = { path: current[0]?.path ?? [], segment: i };
      return { paths: [], stoppedAt };
    }
    current = next;
  }
  return { paths: current.map((c) => c.path), stoppedAt };
}

function step(path: DataPath, node: unknown, segment: Segment): { path: DataPath; node: unknown }[] {
  if (node === null || typeof node !== 'object') return [];
  const entries: [string | number, unknown][] = Array.isArray(node)
    ? node.map((item, index) => [index, item])
    : Object.entries(node as Record<string, unknown>);
  switch (segment.kind) {
    case 'key':
      if (Array.isArray(node) || !Object.hasOwn(node, segment.key)) return [];
      return [{ path: [...path, segment.key], node: (node as Record<string, unknown>)[segment.key] }];
    case 'index': {
      if (!Array.isArray(node)) return [];
      const index = segment.index < 0 ? node.length + segment.index : segment.index;
      if (index < 0 || index >= node.length) return [];
      return [{ path: [...path, index], node: node[index] }];
    }
    case 'wildcard':
      return entries.map(([key, value]) => ({ path: [...path, key], node: value }));
    case 'match':
      return entries.filter(([, value]) => matches(value, segment)).map(([key, value]) => ({ path: [...path, key], node: value }));
  }
}

function matches(item: unknown, segment: Extract<Segment, { kind: 'match' }>): boolean {
  let value: unknown = item;
  for (const key of segment.field) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    value = (value as Record<string, unknown>)[key];
  }
  if (value === null || value === undefined || typeof value === 'object') return false;
  const text = String(value);
  switch (segment.operator) {
    case '=':
      return text === segment.value;
    case '^=':
      return text.startsWith(segment.value);
    case '$=':
      return text.endsWith(segment.value);
    case '*=':
      return text.includes(segment.value);
    case '~=':
      return segment.regex!.test(text);
  }
}

function describeSegment(segment: Segment): string {
  switch (segment.kind) {
    case 'key':
      return `has no key ${JSON.stringify(segment.key)}`;
    case 'index':
      return `has no item [${segment.index}]`;
    case 'wildcard':
      return 'is empty or not a map or sequence';
    case 'match': {
      const how = { '=': 'equal to', '^=': 'starting with', '$=': 'ending with', '*=': 'containing', '~=': 'matching' }[segment.operator];
      const shown = segment.operator === '~=' ? `/${segment.value}/` : JSON.stringify(segment.value);
      return `has no item whose ${segment.field.join('.')} is ${how} ${shown}`;
    }
  }
}

function noMatch(selector: Selector, stoppedAt: Resolution['stoppedAt'], context: SelectContext): UserError {
  const segment = selector.segments[stoppedAt.segment];
  const where = stoppedAt.path.length === 0 ? 'the top level' : formatPath(stoppedAt.path);
  const why = segment === undefined ? 'matches nothing' : `${where} ${describeSegment(segment)}`;
  return new UserError(`${context.file}: selector "${selector.text}" matches nothing: ${why}`, {
    retryable: false,
    file: context.file,
    hint: `Check the path against ${context.file}; keys are case-sensitive.`,
  });
}

function tooMany(selector: Selector, paths: DataPath[], context: SelectContext): UserError {
  const shown = paths.slice(0, 5).map(formatPath).join(', ');
  const more = paths.length > 5 ? ` and ${paths.length - 5} more` : '';
  return new UserError(`${context.file}: selector "${selector.text}" matches ${paths.length} places where one is expected: ${shown}${more}`, {
    retryable: false,
    file: context.file,
    hint: 'Make the selector more specific, e.g. with an index [0] or an item selector like [name=build].',
  });
}

function describe(node: unknown): string {
  if (node === null) return 'null';
  if (Array.isArray(node)) return 'a sequence';
  if (typeof node === 'object') return 'a map';
  return `the ${typeof node} ${JSON.stringify(node)}`;
}
