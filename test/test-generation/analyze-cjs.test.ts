/** CommonJS modules: what `module.exports` and `exports.x` offer a test, read from the syntax alone. */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSource, loadAnalyzer } from '../../handlers/test-generation/analyze.js';
import { exportedNames } from '../../handlers/test-generation/blocks.js';

beforeAll(loadAnalyzer);

const signature = (params: { name: string; type: string; optional: boolean }[]) => params.map((p) => `${p.name}${p.optional ? '?' : ''}: ${p.type}`);

describe('CommonJS exports', () => {
  it('reads module.exports = { ... }, resolving shorthand names and identifiers to their declarations', () => {
    const a = analyzeSource('lib/util.js', `
      'use strict';
      function slug(text) { return text.toLowerCase().split(' ').join('-'); }
      const clamp = (n, lo = 0, hi = 10) => Math.min(hi, Math.max(lo, n));
      class Counter { constructor(start) { this.n = start; } next() { return ++this.n; } }
      const defaults = { size: 10, name: 'x' };
      module.exports = { slug, limit: clamp, Counter, defaults, VERSION: '1.2.0', shout(word) { return word.toUpperCase() + '!'; }, lib: require('./lib') };
    `);
    expect(a.format).toBe('cjs');
    expect(a.functions.map((f) => f.name)).toEqual(['slug', 'limit', 'shout']);
    expect(signature(a.functions[0]?.params ?? [])).toEqual(['text: string']);
    expect(signature(a.functions[1]?.params ?? [])).toEqual(['n: number', 'lo?: number', 'hi?: number']);
    expect(a.classes.map((c) => c.name)).toEqual(['Counter']);
    expect(a.classes[0]?.methods.map((m) => m.name)).toEqual(['next']);
    expect(a.consts.map((c) => [c.name, c.literal ?? c.keys])).toEqual([['defaults', ['size', 'name']], ['VERSION', '1.2.0']]);
    expect(a.reexports).toEqual(['lib']);
    expect(exportedNames(a)).toEqual(['slug', 'limit', 'shout', 'Counter', 'defaults', 'VERSION', 'lib']);
    expect(a.defaultExport).toBeUndefined();
  });

  it('names a function exported as the whole module default, with its members as named exports', () => {
    const a = analyzeSource('index.js', `
      module.exports = bytes;
      module.exports.format = format;
      bytes.parse = function (val) { return parseInt(val, 10); };
      function bytes(value) { return typeof value === 'string' ? parse(value) : format(value); }
      function format(value) { return value.toFixed(2) + 'B'; }
    `);
    expect(a.defaultExport).toBe('function');
    expect(a.functions.map((f) => f.name)).toEqual(['default', 'format', 'parse']);
    expect(signature(a.functions[1]?.params ?? [])).toEqual(['value: number']);
    expect(signature(a.functions[2]?.params ?? [])).toEqual(['val: string']);
  });

  it('reads module.exports = function and = class, and a class expression', () => {
    const fn = analyzeSource('a.js', 'module.exports = function (a, b) { return a * b; };');
    expect(fn.functions.map((f) => [f.name, signature(f.params)])).toEqual([['default', ['a: number', 'b: number']]]);
    const cls = analyzeSource('b.js', 'module.exports = class Queue { push(item) { return item; } static of() { return 1; } };');
    expect(cls.defaultExport).toBe('class');
    expect(cls.classes.map((c) => [c.name, c.methods.map((m) => `${m.static ? 'static ' : ''}${m.name}`)])).toEqual([['default', ['push', 'static of']]]);
  });

  it('reads exports.x = ... and module.exports.x = ...', () => {
    const a = analyzeSource('lib/math.js', `
      exports.add = function add(a, b) { return a + b; };
      exports.PI = 3.14;
      module.exports.square = (x) => x * x;
      exports.parts = { one: 1 };
      const secret = () => 1;
    `);
    expect(a.format).toBe('cjs');
    expect(a.functions.map((f) => f.name)).toEqual(['add', 'square']);
    expect(a.consts.map((c) => [c.name, c.literal ?? c.keys])).toEqual([['PI', 3.14], ['parts', ['one']]]);
  });

  it('reads an ES5 class: a function with prototype methods, Object.assign(X.prototype) and statics', () => {
    const a = analyzeSource('lib/stack.js', `
      function Stack(limit) { this.items = []; this.limit = limit; }
      Stack.prototype.push = function (item) { if (this.items.length >= this.limit) throw new Error('full'); this.items.push(item); return this; };
      Object.assign(Stack.prototype, { size: function () { return this.items.length; }, peek() { return this.items[this.items.length - 1]; } });
      Stack.from = function (list) { return list.reduce((s, x) => s.push(x), new Stack(list.length)); };
      module.exports = Stack;
    `);
    expect(a.defaultExport).toBe('class');
    expect(a.functions).toEqual([]);
    const [stack] = a.classes;
    expect(stack?.name).toBe('default');
    expect(signature(stack?.ctorParams ?? [])).toEqual(['limit: unknown']);
    expect(stack?.methods.map((m) => `${m.static ? 'static ' : ''}${m.name}`)).toEqual(['push', 'size', 'peek', 'static from']);
  });

  it('reads an ES5 class exported by name, and X.prototype = { ... }', () => {
    const a = analyzeSource('lib/point.js', `
      var Point = function (x, y) { this.x = x; this.y = y; };
      Point.prototype = { norm: function () { return Math.hypot(this.x, this.y); } };
      exports.Point = Point;
    `);
    expect(a.classes.map((c) => [c.name, c.methods.map((m) => m.name)])).toEqual([['Point', ['norm']]]);
  });

  it('reads enumerable Object.defineProperty(exports, ...) and Object.assign(module.exports, ...)', () => {
    const a = analyzeSource('dist/index.js', `
      "use strict";
      Object.defineProperty(exports, "__esModule", { value: true });
      Object.defineProperty(exports, "greet", { enumerable: true, get: function () { return greet_1; } });
      Object.defineProperty(exports, "hidden", { value: function () {} });
      function greet_1(name) { return 'hi ' + name.trim(); }
      Object.assign(module.exports, { twice: (n) => n * 2 });
    `);
    const found = a.functions.map((f) => [f.name, signature(f.params)]);
    expect(found).toHaveLength(2);
    expect(found).toEqual(expect.arrayContaining([['greet', ['name: string']], ['twice', ['n: number']]]));
  });

  it('takes .cjs files as CommonJS, and leaves ES modules and TypeScript alone', () => {
    expect(analyzeSource('x.cjs', 'exports.a = 1;').format).toBe('cjs');
    expect(analyzeSource('x.js', 'export const a = 1; // module.exports in a comment').format).toBeUndefined();
    expect(analyzeSource('x.mjs', 'export default function () {}').format).toBeUndefined();
    expect(analyzeSource('x.ts', 'export const a = 1;').format).toBeUndefined();
    expect(analyzeSource('x.js', 'console.log(1);').format).toBeUndefined();
  });
});
