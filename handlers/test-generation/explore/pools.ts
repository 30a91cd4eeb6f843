/**
 * Candidate arguments for exploring a callable: for each parameter, a list of
 * source expressions, the first one the plain sample and the rest the values
 * that tend to take other branches (empty and oversized strings, zero and
 * negative numbers, every member of a literal union, the literals the module
 * itself compares against, an object with and without its optional fields).
 * Types declared in the modules the source imports are looked up there, and
 * a parameter of a type some imported module can make (a factory function or
 * a class constructed without arguments) gets a value made that way.
 */
import type { ParamInfo } from '../types.js';
import { sampleValue } from '../values.js';
import { checkedCandidates, instanceCandidates, wrapped, type Fill } from './checked-pools.js';

/** A module the generated test imports besides the source, as `import * as <alias> from '<specifier>'`. */
export interface Dependency {
  alias: string;
  specifier: string;
}

/** What is known about types beyond the source's own text. */
export interface TypeWorld {
  shapes: Record<string, ParamInfo[]>;
  unions: Record<string, string[]>;
  /** Type name -> an expression that makes a value of it (using a dependency's alias or `subject`). */
  factories: Record<string, string>;
  /** String and number literals the source compares against: likely branch points. */
  strings: string[];
  numbers: number[];
  /** Classes a test constructs, by type name: the constructor (`subject.Clock`) and its parameters. */
  classes?: Record<string, { make: string; params: ParamInfo[] }>;
  /**
   * Argument lists seen in the repository (README/docs code blocks, existing
   * tests), per callable label (`slugify`, `Parser#parse`, `utils.clamp`): each
   * a list of source expressions, tried before the generated values.
   */
  examples: Record<string, string[][]>;
}

export const emptyWorld = (): TypeWorld => ({ shapes: {}, unions: {}, factories: {}, strings: [], numbers: [], examples: {} });

const MAX_POOL = 8;
/**
 * A pool of object literals (an options object) may hold more: each optional
 * field needs a value of its own to reach the code it switches on, and ten
 * options at one or two values each do not fit in eight.
 */
const MAX_OBJECT_POOL = 16;

/** Candidate expressions for one parameter, the plain sample first; undefined when nothing fits its type. */
export function candidates(param: ParamInfo, world: TypeWorld, depth = 0): string[] | undefined {
  const raw = param.type.trim();
  const parts = splitTop(raw, '|');
  const nullable = parts.some((p) => p === 'undefined' || p === 'null');
  const type = parts.filter((p) => p !== 'undefined' && p !== 'null').join(' | ');
  const pool = baseCandidates({ ...param, type }, world, depth);
  if (pool === undefined) return undefined;
  if (nullable && !param.optional) pool.push(parts.includes('undefined') ? 'undefined' : 'null');
  return unique(pool).slice(0, pool.every((value) => value.startsWith('{')) ? MAX_OBJECT_POOL : MAX_POOL);
}

function baseCandidates(param: ParamInfo, world: TypeWorld, depth: number): string[] | undefined {
  const type = wrapped(param.type) ? param.type.slice(1, -1).trim() : param.type;
  const name = param.name;
  if (type === '') return name.startsWith('_') ? ['{}'] : undefined;
  if (Object.hasOwn(world.factories, type)) return [world.factories[type] as string];
  const made = world.classes !== undefined && Object.hasOwn(world.classes, type) ? world.classes[type] : undefined;
  if (made !== undefined) return depth > 2 ? undefined : instanceCandidates(made, depth, fill(world));
  if (Object.hasOwn(world.unions, type)) return [...(world.unions[type] as string[])];
  const parts = splitTop(type, '|');
  if (parts.length > 1) {
    if (parts.every((p) => isLiteral(p))) return parts;
    const pools = parts.map((p) => baseCandidates({ ...param, type: p }, world, depth)).filter((p): p is string[] => p !== undefined);
    return pools.length === 0 ? undefined : interleave(pools);
  }
  if (isLiteral(type)) return [type];
  if (type === 'string') return stringCandidates(name, world);
  if (type === 'number') return numberCandidates(name, world);
  if (type === 'boolean') return ['true', 'false'];
  const checked = checkedCandidates({ ...param, type }, depth, fill(world));
  if (checked !== null) return checked;
  if (type === 'object' || type === '{}') return ['{}'];
  // Nothing says what it takes (often an untyped JavaScript parameter): a spread of kinds, falsy ones
  // included, since code taking anything tends to branch on truthiness and kind. A string first: the
  // same string twice is the same key (set("text", ...) then get("text")), two `{}` are not. Then a
  // falsy value, since `if (options.flag)` is the branch such a value meets most: an object field
  // varies through its first alternatives only (see objectCandidates), and a second truthy one there
  // (`{}` after "text") would take the same path as the sample.
  if (type === 'unknown' || type === 'any') return ['"text"', 'false', '{}', '0', '[]', 'null', '1', '""'];
  const shape = Object.hasOwn(world.shapes, type) ? world.shapes[type] : inlineShape(type);
  if (shape !== undefined) return depth > 2 ? undefined : objectCandidates(shape, world, depth);
  const partial = /^Partial<\s*([A-Za-z_$][\w$]*)\s*>$/.exec(type)?.[1];
  if (partial !== undefined) {
    const full = Object.hasOwn(world.shapes, partial) ? objectCandidates(world.shapes[partial] as ParamInfo[], world, depth) : undefined;
    return ['{}', ...(full?.slice(-1) ?? [])];
  }
  const element = /^(?:readonly\s+)?(.+)\[\]$/.exec(type)?.[1] ?? /^(?:Readonly)?Array<(.+)>$/.exec(type)?.[1];
  if (element !== undefined) {
    const inner = baseCandidates({ ...param, type: element.replace(/^\((.*)\)$/, '$1'), name: name.replace(/s$/, '') }, world, depth + 1);
    return inner === undefined ? undefined : [`[${inner[0]}]`, '[]', ...(inner.length > 1 ? [`[${inner[0]}, ${inner[1]}]`] : [])];
  }
  const record = /^Record<\s*string\s*,\s*(.+)>$/.exec(type)?.[1];
  if (record !== undefined) {
    const inner = baseCandidates({ name: 'value', type: record.trim(), optional: false, rest: false }, world, depth + 1);
    return inner === undefined ? ['{}'] : [`{ example: ${inner[0]} }`, '{}'];
  }
  const fallback = sampleValue({ ...param, type }, world.shapes, depth);
  return fallback === undefined ? undefined : [fallback];
}

/** Pools' own rules, for the checker's forms to fill their parts with. */
function fill(world: TypeWorld): Fill {
  return { base: (param, depth) => baseCandidates(param, world, depth), any: (param, depth) => candidates(param, world, depth), split: splitTop };
}

function stringCandidates(name: string, world: TypeWorld): string[] {
  const sample = sampleValue({ name, type: 'string', optional: false, rest: false }) ?? '"example"';
  const out = [sample];
  if (/e-?mail/i.test(name)) out.push('"not-an-email"', '"ADA@Example.com"');
  if (/url|uri|href|link/i.test(name)) {
    out.push('"not a url"');
    for (const scheme of world.strings.filter((s) => /^[a-z][a-z0-9+.-]{1,15}$/.test(s)).slice(0, 3)) out.push(JSON.stringify(`${scheme}://user:secret@localhost:5432/app`));
  }
  if (/password|secret/i.test(name)) out.push('"short"');
  out.push('""');
  // The strings the module compares against are its branch points: before the generic ones, which the pool's cap may cut.
  for (const literal of world.strings.slice(0, 3)) out.push(JSON.stringify(literal));
  // Markup, quotes, spaces and capitals: what escaping, parsing and case-changing code treats apart; then indented lines.
  out.push(JSON.stringify('Tom & "Jerry" <b>O\'Neil</b>  Foo-bar_BAZ'), JSON.stringify('\n    first line\n      indented\n    last\n'));
  if (!/^id$|Id$/.test(name)) out.push('"x".repeat(300)');
  return out;
}

function numberCandidates(name: string, world: TypeWorld): string[] {
  const sample = sampleValue({ name, type: 'number', optional: false, rest: false }) ?? '1';
  const out = [sample, '0', '-1', '1000000', '2.5'];
  for (const n of world.numbers.slice(0, 3)) out.push(String(n), String(n + 1));
  return out;
}

function objectCandidates(shape: readonly ParamInfo[], world: TypeWorld, depth: number): string[] | undefined {
  const required: string[] = [];
  const all: string[] = [];
  const others: { index: number; values: string[] }[] = [];
  for (const field of shape) {
    if (!/^[A-Za-z_$][\w$]*$/.test(field.name)) return undefined;
    const pool = candidates(field, world, depth + 1);
    if (pool === undefined) {
      if (field.optional) continue;
      return undefined;
    }
    const entry = `${field.name}: ${pool[0]}`;
    if (!field.optional) required.push(entry);
    all.push(entry);
    others.push({ index: all.length - 1, values: pool.slice(1, 3).map((value) => `${field.name}: ${value}`) });
  }
  const literal = (entries: string[]) => (entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`);
  const out = all.length > required.length ? [literal(required), literal(all)] : [literal(required)];
  // Each optional field alone (with the required ones): code that checks its options one after another throws at the
  // first one a made-up value does not satisfy (`encode` not a function), and with every field set nothing after it runs.
  if (all.length - required.length > 1) for (const entry of all) if (!required.includes(entry)) out.push(literal([...required, entry]));
  // Then one field changed at a time (`{ kind: "square" }` after `{ kind: "circle" }`): a field can decide the branch as well as a parameter.
  // Every field's first alternative before any field's second: the pool is cut at MAX_POOL, and cut field by field
  // the last fields of an options object would never vary at all (camelcase's `capitalizeAfterNumber: false`).
  for (let k = 0; k < 2; k++) {
    for (const { index, values } of others) {
      const value = values[k];
      if (value !== undefined) out.push(literal(all.map((entry, i) => (i === index ? value : entry))));
    }
  }
  return out;
}

/** `{ id: string; name?: string }` written in place, as fields; undefined when it is not a plain type literal. */
function inlineShape(type: string): ParamInfo[] | undefined {
  if (!/^\{[\s\S]*\}$/.test(type)) return undefined;
  const body = type.slice(1, -1).trim();
  if (body === '') return [];
  const fields: ParamInfo[] = [];
  for (const member of splitTop(body, ';,').map((m) => m.trim()).filter((m) => m !== '')) {
    const match = /^(readonly\s+)?([A-Za-z_$][\w$]*)(\?)?\s*:\s*([\s\S]+)$/.exec(member);
    if (!match) return undefined;
    fields.push({ name: match[2] as string, type: (match[4] as string).trim(), optional: match[3] === '?', rest: false });
  }
  return fields;
}

function isLiteral(type: string): boolean {
  return /^(['"]).*\1$|^-?\d+(\.\d+)?$|^true$|^false$/.test(type);
}

/** Split at top-level separators (not inside <>, (), [], {} or quotes). */
export function splitTop(text: string, separators: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let current = '';
  for (const c of text) {
    if (quote !== '') {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if ('<([{'.includes(c)) depth++;
    else if (c === '>' && current.endsWith('=')) {
      // the arrow of a function type, not a closing bracket
    } else if ('>)]}'.includes(c)) depth--;
    else if (depth === 0 && separators.includes(c)) {
      out.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  if (current.trim() !== '' || out.length === 0) out.push(current.trim());
  return out;
}

function interleave(pools: string[][]): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < MAX_POOL * 2 && pools.some((p) => i < p.length); i++) for (const pool of pools) if (i < pool.length) out.push(pool[i] as string);
  return out;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** String and number literals the source compares against (`=== 'x'`, `case 'x':`, `< 10`). */
export function harvestLiterals(text: string): { strings: string[]; numbers: number[] } {
  const strings = new Set<string>();
  const numbers = new Set<number>();
  const code = text.replace(/^\s*import[\s\S]*?from\s+['"][^'"]+['"];?/gm, '');
  for (const m of code.matchAll(/(?:===|!==|==|!=|\bcase)\s*(['"])([^'"\n\\]{1,40})\1/g)) strings.add(m[2] as string);
  for (const m of code.matchAll(/(['"])([^'"\n\\]{1,40})\1\s*(?:===|!==|==|!=)/g)) strings.add(m[2] as string);
  for (const m of code.matchAll(/(?:[<>]=?|===|!==)\s*(-?\d+(?:\.\d+)?)\b/g)) numbers.add(Number(m[1]));
  return { strings: [...strings].filter((s) => s.trim() !== ''), numbers: [...numbers].filter((n) => Number.isFinite(n) && Math.abs(n) < 1e9) };
}
