/** Types for untyped parameters: from JSDoc, defaults, and what the body does with each one. */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSource, loadAnalyzer } from '../../handlers/test-generation/analyze.js';
import { candidates, emptyWorld } from '../../handlers/test-generation/explore/pools.js';

beforeAll(loadAnalyzer);

/** The parameters of the module's first exported function, as `name?: type`. */
function params(body: string, file = 'lib/x.js'): string[] {
  const a = analyzeSource(file, body);
  const fn = a.functions[0];
  if (!fn) throw new Error('no function found');
  return fn.params.map((p) => `${p.name}${p.optional ? '?' : ''}: ${p.type}`);
}

describe('JSDoc', () => {
  it('reads @param types: plain, optional, arrays, unions, callbacks and nested object fields', () => {
    expect(params(`
      /**
       * @param {string} name
       * @param {number=} count
       * @param {Array<string>} tags
       * @param {String|Number} value
       * @param {function} done
       * @param {Object} opts
       * @param {string} opts.key
       * @param {boolean} [opts.deep]
       * @param {*} [extra]
       */
      export function f(name, count, tags, value, done, opts, extra) {}
    `)).toEqual([
      'name: string',
      'count?: number',
      'tags: string[]',
      'value: string | number',
      'done: (...args: unknown[]) => unknown',
      'opts: { key: string; deep?: boolean }',
      'extra?: unknown',
    ]);
  });

  it('reads a JSDoc record type, and a bare {Object} gets its fields from the body', () => {
    expect(params(`
      /** @param {{ size: number, label: [string] }} a
       *  @param {Object} [options] */
      export function f(a, options) { return options.long ? a.size : 0; }
    `)).toEqual(['a: { size: number; label?: string }', 'options?: { long?: unknown }']);
  });
});

describe('the body', () => {
  it('types by defaults, arithmetic, comparisons and string methods', () => {
    expect(params(`export function f(limit = 10, label = 'x', on = false, n, s, t) {
      if (n > 3) return s.toLowerCase().split(',');
      return t === 'admin' ? n * 2 : limit;
    }`)).toEqual(['limit?: number', 'label?: string', 'on?: boolean', 'n: number', 's: string', 't: "admin" | string']);
  });

  it('makes an object of the fields read, each typed in turn, and destructured parameters alike', () => {
    expect(params(`export function f(user, { page, size = 20 }) {
      return user.name.trim() + user.age * 2 + user.address.city.toUpperCase() + page;
    }`)).toEqual([
      'user: { name: string; age: number; address: { city: string } }',
      '{ page, size = 20 }: { page: number | string; size?: number }',
    ]);
  });

  it('takes a called parameter for a callback and an iterated one for an array of what each item is used as', () => {
    expect(params(`export function f(list, each, words) {
      for (const item of list) each(item.id);
      return words.map((w) => w.trim());
    }`)).toEqual(['list: { id: unknown }[]', 'each: (...args: unknown[]) => unknown', 'words: string[]']);
  });

  it('makes a union of the kinds typeof checks name, through a variable or a switch too', () => {
    expect(params(`export function f(val, input, x) {
      var type = typeof val;
      if (type === 'string') return val;
      if (type === 'number') return val;
      if (!(typeof input === 'string' || Array.isArray(input))) throw new TypeError('no');
      switch (typeof x) { case 'boolean': return 1; case 'function': return x(); }
    }`)).toEqual(['val: string | number', 'input: string | unknown[]', 'x: boolean | ((...args: unknown[]) => unknown)']);
  });

  it('makes an options object and its fields optional, and says unknown when nothing tells', () => {
    expect(params(`export function f(options, thing) {
      options = options || {};
      return options.long ? 1 : 2;
    }`)).toEqual(['options?: { long?: unknown }', 'thing: unknown']);
  });

  it('types a TypeScript parameter that has no annotation, and keeps written types', () => {
    expect(params('export function f(a: Date, b) { return b.toFixed(2); }', 'src/x.ts')).toEqual(['a: Date', 'b: number']);
  });
});

describe('candidates for inferred types', () => {
  const pool = (type: string, optional = false) => candidates({ name: 'value', type, optional, rest: false }, emptyWorld());

  it('give a spread of kinds for unknown, and objects with and without their optional fields', () => {
    expect(pool('unknown')).toEqual(expect.arrayContaining(['{}', '"text"', '1', '[]']));
    // Without its optional field, with it, then with the field's other values.
    expect(pool('{ long?: unknown }')?.slice(0, 2)).toEqual(['{}', '{ long: "text" }']);
    expect(pool('{ long?: unknown }')?.length).toBeGreaterThan(2);
    // One field changed at a time, the literals it is compared with first, every field's first alternative before any second.
    expect(pool('{ kind: "circle" | "square" | string; r: number }')?.slice(0, 4)).toEqual([
      '{ kind: "circle", r: 1 }',
      '{ kind: "square", r: 1 }',
      '{ kind: "circle", r: 0 }',
      '{ kind: "example", r: 1 }',
    ]);
    expect(pool('string | string[]')?.slice(0, 4)).toEqual(['"example"', '["example"]', '""', '[]']);
  });

  it('try a string and then a falsy value for unknown, and vary the last field of a wide options object too', () => {
    // The same string twice is one key (set then get); a falsy value next takes the other side of `if (x)`.
    expect(pool('unknown')?.slice(0, 2)).toEqual(['"text"', 'false']);
    // Four flags: the pool's cap still leaves room for turning off the last one, not only the first ones twice.
    const flags = pool('{ a?: unknown; b?: unknown; c?: unknown; d?: unknown }');
    for (const field of ['a', 'b', 'c', 'd']) {
      const others = ['a', 'b', 'c', 'd'].map((name) => `${name}: ${name === field ? 'false' : '"text"'}`);
      expect(flags).toContain(`{ ${others.join(', ')} }`);
    }
  });

  it('set each option alone too, so one a made-up value fails does not hide the others', () => {
    const options = pool('{ encode?: unknown; maxAge?: number; domain?: string; path?: string; expires?: { toUTCString: () => string }; httpOnly?: boolean; secure?: boolean; priority?: string }');
    expect(options?.slice(0, 3)).toEqual(['{}', expect.stringMatching(/^\{ encode: "text", maxAge: \d+, domain: .*, priority: .* \}$/), '{ encode: "text" }']);
    for (const alone of ['{ maxAge: 2 }', '{ domain: "example" }', '{ httpOnly: true }', '{ secure: true }']) expect(options).toContain(alone);
    // Then one field changed at a time, the pool longer than a plain value's.
    expect(options?.filter((value) => value.startsWith('{ encode: false, maxAge: '))).toHaveLength(1);
    expect(options?.length).toBeGreaterThan(8);
    // A required field stays in every one.
    expect(pool('{ name: string; a?: number; b?: boolean }')).toEqual(expect.arrayContaining(['{ name: "Ada" }', '{ name: "Ada", a: 1 }', '{ name: "Ada", b: true }']));
  });
});

describe('odd sources', () => {
  it('end on variables that name each other, and on a parameter used nowhere', () => {
    expect(params(`export function f(p, q) {
      var t = typeof p; var u = t; var t = u;
      var a = p; var b = a; var a = b;
      return t === 'string' ? b.trim() : 0;
    }`)).toEqual(['p: string', 'q: unknown']);
  });
});
