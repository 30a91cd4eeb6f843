/**
 * Candidates for the type text the type checker writes (type-text.ts):
 * callbacks answered with functions returning a sample of their result,
 * tuples, built-in classes (`Date`, `Map`, `Set`, `RegExp`, `Promise`, ...),
 * `bigint` and `symbol`, and instances of project classes built with their
 * constructors' arguments. The parts are filled by pools' own rules.
 */
import type { ParamInfo } from '../types.js';

/** Pools' rules, as the forms here need them. */
export interface Fill {
  /** Candidates for a type, without the nullable handling (a part of a larger value). */
  base(param: ParamInfo, depth: number): string[] | undefined;
  /** Candidates for a parameter or field as pools makes them. */
  any(param: ParamInfo, depth: number): string[] | undefined;
  split(text: string, separators: string): string[];
}

/**
 * Candidates for the forms the type checker writes (see type-text.ts):
 * function types, tuples, built-in classes, `bigint`, `symbol`; null when the
 * type is none of them.
 */
export function checkedCandidates(param: ParamInfo, depth: number, fill: Fill): string[] | undefined | null {
  const type = param.type;
  const inner = (t: string, name = 'value') => fill.base({ name, type: t.trim(), optional: false, rest: false }, depth + 1);
  const fn = functionType(type);
  if (fn !== undefined) {
    const awaited = /^Promise<([\s\S]*)>$/.exec(fn.returns)?.[1]?.trim();
    const returns = awaited ?? fn.returns;
    const prefix = awaited !== undefined ? 'async ' : '';
    const arrow = (value: string) => `${prefix}() => ${value.startsWith('{') ? `(${value})` : value}`;
    const echoed = /^typeof ([A-Za-z_$][\w$]*)$/.exec(returns)?.[1];
    if (echoed !== undefined) {
      // A generic callback that must hand back one of its arguments (`<T>(action: T) => T`).
      const names = fill.split(fn.params, ',').map((p) => /^(?:\.\.\.)?([A-Za-z_$][\w$]*)/.exec(p)?.[1] ?? '_');
      return names.includes(echoed) ? [`${prefix}(${names.slice(0, names.indexOf(echoed) + 1).join(', ')}) => ${echoed}`] : undefined;
    }
    // A callback whose result is not used: one that returns, and one that fails.
    if (/^(void|undefined|unknown|any)$/.test(returns)) return [arrow('undefined'), `${prefix}() => { throw new Error("callback failed"); }`];
    const values = inner(returns);
    return values === undefined ? undefined : values.slice(0, 2).map(arrow);
  }
  if (wrapped(type, '[', ']')) {
    const elements = type.slice(1, -1).trim() === '' ? [] : fill.split(type.slice(1, -1), ',').map((e, i) => inner(e, `${param.name}${i}`));
    if (elements.some((e) => e === undefined)) return undefined;
    const pools = elements as string[][];
    return [`[${pools.map((p) => p[0]).join(', ')}]`, `[${pools.map((p) => p[1] ?? p[0]).join(', ')}]`];
  }
  const generic = /^([A-Za-z]+)<([\s\S]*)>$/.exec(type);
  const args = generic ? fill.split(generic[2] as string, ',') : [];
  switch (generic?.[1] ?? type) {
    case 'Map': {
      const [keys, values] = [inner(args[0] ?? 'string', 'key'), inner(args[1] ?? 'unknown')];
      return keys && values ? [`new Map([[${keys[0]}, ${values[0]}]])`, 'new Map()'] : ['new Map()'];
    }
    case 'Set': {
      const values = inner(args[0] ?? 'unknown', param.name.replace(/s$/, ''));
      return values ? [`new Set([${values[0]}])`, 'new Set()'] : ['new Set()'];
    }
    case 'Promise': {
      if (/^(void|undefined)$/.test(args[0] ?? '')) return ['Promise.resolve()'];
      return inner(args[0] ?? 'unknown', param.name)?.slice(0, 2).map((v) => `Promise.resolve(${v})`);
    }
    case 'Date':
      return ['new Date("2024-01-15T00:00:00.000Z")', 'new Date(0)', 'new Date(Number.NaN)'];
    case 'RegExp':
      return ['/example/', '/^$/'];
    case 'Error':
      return ['new Error("example")'];
    case 'URL':
      return ['new URL("https://example.com/")'];
    case 'URLSearchParams':
      return ['new URLSearchParams("page=2")', 'new URLSearchParams()'];
    case 'Uint8Array':
      return ['new Uint8Array([1, 2, 3])', 'new Uint8Array(0)'];
    case 'Buffer':
      return ['Buffer.from("example")', 'Buffer.alloc(0)'];
    case 'ArrayBuffer':
      return ['new ArrayBuffer(8)'];
    case 'AbortSignal':
      return ['new AbortController().signal', 'AbortSignal.abort()'];
    case 'bigint':
      return ['1n', '0n', '-1n'];
    case 'symbol':
      return ['Symbol("example")'];
    case 'void':
      return ['undefined'];
    default:
      return null;
  }
}

/** `(a: string, b?: number) => R` split into its parameter text and return type; undefined for any other type. */
export function functionType(type: string): { params: string; returns: string } | undefined {
  if (!type.startsWith('(')) return undefined;
  let depth = 0;
  for (let i = 0; i < type.length; i++) {
    const c = type[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) {
      const rest = /^\s*=>\s*([\s\S]+)$/.exec(type.slice(i + 1));
      if (rest === null) return undefined;
      const returns = (rest[1] as string).trim();
      return { params: type.slice(1, i), returns: wrapped(returns) ? returns.slice(1, -1).trim() : returns };
    }
  }
  return undefined;
}

/** `new subject.Clock(...)` with the first candidate of each required constructor parameter. */
export function instanceCandidates(made: { make: string; params: ParamInfo[] }, depth: number, fill: Fill): string[] | undefined {
  const args: string[] = [];
  for (const param of made.params) {
    if (param.optional || param.rest) break;
    const pool = fill.any(param, depth + 1);
    if (pool === undefined) return undefined;
    args.push(pool[0] as string);
  }
  return [`new ${made.make}(${args.join(', ')})`];
}

/** Whether the whole text is one bracketed group (`(a | b)`, not `(a) => b`; `[a, b]`, not `[a][]`). */
export function wrapped(text: string, open = '(', close = ')'): boolean {
  if (!text.startsWith(open)) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === open) depth++;
    else if (text[i] === close && --depth === 0) return i === text.length - 1;
  }
  return false;
}
