/**
 * From what the probe saw to tests: the two passes of a scenario are merged
 * (what differs between them is checked by type only, or not at all), values
 * that look made of time or chance (tokens, UUIDs, hashes, timestamps) are
 * never pinned, and the outcome becomes an assertion a person can read: the
 * value returned, the error thrown (its message), or a response's status and
 * body.
 */
import type { TestCase } from '../blocks.js';
import type { Outcome, Spec } from './probe.js';
import type { Scenario } from './scenarios.js';

/** A merged value: `any` carries the type both passes agreed on, when they did. */
export type Merged = Spec;

export interface MergedOutcome {
  promise: boolean;
  threw?: { message: string | undefined };
  value?: Merged;
}

/** The outcome both passes agree on; undefined when they do not agree on what kind of thing happened. */
export function mergeOutcomes(first: Outcome, second: Outcome | undefined): MergedOutcome | undefined {
  if (first.setupFailed !== undefined || first.timeout || second?.setupFailed !== undefined || second?.timeout) return undefined;
  if (second !== undefined && (first.promise !== second.promise || (first.threw === undefined) !== (second.threw === undefined))) return undefined;
  if (first.threw) {
    const message = second === undefined || second.threw?.message === first.threw.message ? first.threw.message : undefined;
    return { promise: first.promise, threw: { message: message !== undefined && looksMadeOfChance(message) ? undefined : message } };
  }
  if (first.value === undefined) return undefined;
  return { promise: first.promise, value: mergeSpec(first.value, second?.value) };
}

export function mergeSpec(a: Spec, b: Spec | undefined): Merged {
  const stable = b === undefined ? a : mergeTwo(a, b);
  return scrub(stable);
}

function mergeTwo(a: Spec, b: Spec): Merged {
  // What the probe wrote is JSON: a value it could not describe may arrive as null.
  if (a === null || b === null) return { t: 'any' };
  if (a.t !== b.t) return { t: 'any', ...typeOf(a, b) };
  switch (a.t) {
    case 'prim':
      return a.v === (b as typeof a).v ? a : { t: 'any', ...typeOf(a, b) };
    case 'arr': {
      const other = b as typeof a;
      if (a.length !== other.length) return { t: 'any', of: 'object' };
      return { ...a, items: a.items.map((item, i) => mergeTwo(item, other.items[i] ?? { t: 'undef' })) };
    }
    case 'obj': {
      const other = b as typeof a;
      const fields: Record<string, Spec> = {};
      for (const key of Object.keys(a.fields)) {
        const there = other.fields[key];
        fields[key] = there === undefined ? { t: 'any' } : mergeTwo(a.fields[key] as Spec, there);
      }
      return { ...a, fields };
    }
    case 'response': {
      const other = b as typeof a;
      if (a.status !== other.status) return { t: 'any', of: 'object' };
      const body = a.body === undefined || other.body === undefined ? undefined : mergeTwo(a.body, other.body);
      return { ...a, body };
    }
    default:
      return a;
  }
}

function typeOf(a: Spec, b: Spec): { of?: 'string' | 'number' | 'boolean' | 'object' } {
  const kind = (s: Spec) => (s.t === 'prim' && s.v !== null ? (typeof s.v as 'string' | 'number' | 'boolean') : s.t === 'obj' || s.t === 'arr' || s.t === 'date' ? 'object' : undefined);
  const ka = kind(a);
  return ka !== undefined && ka === kind(b) ? { of: ka } : {};
}

/** Values that look like tokens, ids, hashes or timestamps become type checks even when both passes agreed. */
function scrub(spec: Merged): Merged {
  switch (spec.t) {
    case 'prim':
      if (typeof spec.v === 'string' && looksMadeOfChance(spec.v)) return { t: 'any', of: 'string' };
      if (typeof spec.v === 'number' && spec.v > 1e9 && spec.v < 1e14) return { t: 'any', of: 'number' };
      return spec;
    case 'arr':
      return { ...spec, items: spec.items.map((item) => scrub(item)) };
    case 'obj':
      return { ...spec, fields: Object.fromEntries(Object.entries(spec.fields).map(([k, v]) => [k, scrub(v)])) };
    case 'response':
      return { ...spec, body: spec.body === undefined ? undefined : scrub(spec.body) };
    default:
      return spec;
  }
}

export function looksMadeOfChance(text: string): boolean {
  return (
    /^[\w-]+\.[\w-]+\.[\w-]+$/.test(text) && text.length > 30 // a JWT
    || /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.test(text) // a UUID
    || /\b[0-9a-f]{24,}\b/i.test(text) // a hash or object id
    || /^[A-Za-z0-9+/_$.=:-]{24,}$/.test(text) && /\d/.test(text) && /[A-Za-z]/.test(text) // base64, salted hashes
    || /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) // an ISO timestamp
  );
}

/** The test for one kept scenario. */
export function scenarioTest(scenario: Scenario, outcome: MergedOutcome): TestCase {
  const body: string[] = [];
  let title: string;
  if (outcome.threw) {
    const message = outcome.threw.message;
    const matcher = message === undefined || message === '' ? '' : JSON.stringify(message.length > 200 ? message.slice(0, 200) : message);
    if (outcome.promise) {
      title = `${scenario.shown} rejects${message ? ` with "${clip(message, 70)}"` : ''}`;
      body.push(`await expect(${scenario.call}).rejects.toThrow(${matcher});`);
    } else {
      title = `${scenario.shown} throws${message ? ` "${clip(message, 70)}"` : ''}`;
      body.push(`expect(() => ${scenario.call}).toThrow(${matcher});`);
    }
  } else {
    const value = outcome.value as Merged;
    if (value.t === 'response') {
      title = `${scenario.shown} answers ${value.status}`;
      body.push(`const response = await ${scenario.call};`, `expect(response.statusCode).toBe(${value.status});`);
      const literal = value.body === undefined ? undefined : bodyLiteral(value.body);
      if (literal !== undefined) body.push(`expect(response.json()).toMatchObject(${literal});`);
    } else {
      // An iterator is spread into the array of its items, as the probe read it.
      const drained = value.t === 'arr' && value.iter === true;
      const verb = scenario.state ? 'holds' : drained ? (outcome.promise ? 'resolves to an iterator yielding' : 'yields') : outcome.promise ? 'resolves to' : 'returns';
      title = `${scenario.shown} ${verb} ${drained && value.length === 0 ? 'nothing' : describe(value)}`;
      const call = `${outcome.promise ? 'await ' : ''}${scenario.call}`;
      body.push(`const result = ${drained ? `[...${outcome.promise ? `(${call})` : call}]` : call};`, ...matcherLines(value, 'result'));
    }
  }
  const lines = scenario.cleanup.length === 0
    ? [...scenario.setup, ...body]
    : [...scenario.setup, 'try {', ...body.map((line) => `  ${line}`), '} finally {', ...scenario.cleanup.map((line) => `  ${line}`), '}'];
  return { title: printable(title), lines, fallbackTodo: printable(`${scenario.shown}: behaved differently when run again; specify its behaviour`), owner: scenario.owner };
}

function describe(spec: Merged): string {
  switch (spec.t) {
    case 'prim':
      return typeof spec.v === 'string' ? `"${clip(spec.v, 40)}"` : String(spec.v);
    case 'undef':
      return 'undefined';
    case 'nan':
      return 'NaN';
    case 'date':
      return 'a date';
    case 'fn':
      return 'a function';
    case 'arr':
      return spec.length === 0 ? 'an empty array' : `${spec.length} item${spec.length === 1 ? '' : 's'}`;
    case 'obj':
      return 'an object';
    case 'any':
      return spec.of === undefined ? 'a value' : spec.of === 'object' ? 'an object' : `a ${spec.of}`;
    default:
      return 'a value';
  }
}

const BUILT_INS = new Set(['Map', 'Set', 'RegExp', 'Promise', 'Error', 'WeakMap', 'WeakSet', 'URL']);

function matcherLines(spec: Merged, expr: string): string[] {
  switch (spec.t) {
    case 'prim':
      if (typeof spec.v === 'string' && spec.v.length > 500) return [`expect(typeof ${expr}).toBe('string');`];
      return [`expect(${expr}).toBe(${JSON.stringify(spec.v)});`];
    case 'undef':
      return [`expect(${expr}).toBeUndefined();`];
    case 'nan':
      return [`expect(${expr}).toBeNaN();`];
    case 'date':
      return [`expect(${expr}).toBeInstanceOf(Date);`];
    case 'fn':
      return [`expect(typeof ${expr}).toBe('function');`];
    case 'other':
      return BUILT_INS.has(spec.ctor) ? [`expect(${expr}).toBeInstanceOf(${spec.ctor});`] : [`expect(${expr}).toBeDefined();`];
    case 'any':
      return spec.of === undefined ? [`expect(${expr}).toBeDefined();`] : spec.of === 'object' ? [`expect(typeof ${expr}).toBe('object');`] : [`expect(typeof ${expr}).toBe('${spec.of}');`];
    case 'arr':
      if (spec.length === 0) return [`expect(${expr}).toEqual([]);`];
      if (spec.length > spec.items.length) return [`expect(${expr}).toHaveLength(${spec.length});`];
      return [`expect(${expr}).toMatchObject(${literal(spec, 0) ?? `expect.any(Array)`});`];
    case 'obj': {
      const text = literal(spec, 0);
      return text === undefined || text === '{}' ? [`expect(${expr}).toEqual(expect.any(Object));`] : [`expect(${expr}).toMatchObject(${text});`];
    }
    default:
      return [`expect(${expr}).toBeDefined();`];
  }
}

function bodyLiteral(spec: Spec): string | undefined {
  if (spec.t !== 'obj' && spec.t !== 'arr') return undefined;
  if (spec.t === 'arr' && (spec.length === 0 || spec.length > spec.items.length)) return undefined;
  const text = literal(spec, 0);
  return text === '{}' ? undefined : text;
}

const MAX_LITERAL = 1500;

/** An expected-value literal for toMatchObject; undefined when nothing in it can be checked. */
function literal(spec: Merged, depth: number): string | undefined {
  const text = literalOf(spec, depth);
  if (text !== undefined && text.length > MAX_LITERAL && depth === 0 && spec.t === 'obj') {
    const flat = Object.entries(spec.fields).filter(([, v]) => v.t === 'prim' && (typeof v.v !== 'string' || v.v.length < 100));
    return `{ ${flat.map(([k, v]) => `${key(k)}: ${literalOf(v, 1)}`).join(', ')} }`;
  }
  return text !== undefined && text.length > MAX_LITERAL ? undefined : text;
}

function literalOf(spec: Merged, depth: number): string | undefined {
  switch (spec.t) {
    case 'prim':
      return JSON.stringify(spec.v);
    case 'undef':
      return 'undefined';
    case 'nan':
      return 'NaN';
    case 'date':
      return 'expect.any(Date)';
    case 'fn':
      return 'expect.any(Function)';
    case 'other':
      return 'expect.anything()';
    case 'any':
      return spec.of === 'string' ? 'expect.any(String)' : spec.of === 'number' ? 'expect.any(Number)' : spec.of === 'boolean' ? 'expect.any(Boolean)' : spec.of === 'object' ? 'expect.anything()' : undefined;
    case 'arr': {
      if (spec.length > spec.items.length) return 'expect.any(Array)';
      const items = spec.items.map((item) => literalOf(item, depth + 1) ?? 'expect.anything()');
      return `[${items.join(', ')}]`;
    }
    case 'obj': {
      const entries: string[] = [];
      for (const [k, v] of Object.entries(spec.fields)) {
        const text = literalOf(v, depth + 1);
        if (text !== undefined) entries.push(`${key(k)}: ${text}`);
      }
      return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
    }
    default:
      return undefined;
  }
}

function key(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** A title a terminal and a report show as it is: control characters (an ANSI escape in a returned string) written as escapes. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
