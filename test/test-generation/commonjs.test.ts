/**
 * CommonJS sources end to end: an object of exports holding an ES5 class, a
 * function and a constant, and a `.cjs` file with `exports.x = ...`, all in
 * plain JavaScript. The tests written for them must reach each export, take
 * the branches the source compares against, and pass under vitest.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, read, repoRoot, runTask } from './harness.js';

const SHAPES = `'use strict';
function Stack(limit) { this.items = []; this.limit = limit || 3; }
Stack.prototype.push = function (item) {
  if (this.items.length >= this.limit) throw new Error('stack is full');
  this.items.push(item);
  return this.items.length;
};
Stack.prototype.peek = function () { return this.items[this.items.length - 1]; };

function area(shape) {
  if (shape.kind === 'circle') return Math.PI * shape.r * shape.r;
  if (shape.kind === 'square') return shape.side * shape.side;
  throw new Error('unknown shape ' + shape.kind);
}

const label = (name, count = 1) => (count > 1 ? name + 's' : name);

module.exports = { Stack, area, label, VERSION: '1.0.0' };
`;
const UTIL = `exports.slug = function (text) { return text.trim().toLowerCase().replace(/\\s+/g, '-'); };
exports.sum = function (list) { return list.reduce((a, b) => a + b, 0); };
`;

let project = { root: '', cleanup: () => undefined as void };
beforeAll(() => {
  project = makeProject({
    'package.json': JSON.stringify({ name: 'shapes', devDependencies: { vitest: '^4' } }),
    // A config of its own, so vitest does not take this repository's from a parent folder.
    'vitest.config.mjs': 'export default {};\n',
    'lib/shapes.js': SHAPES,
    'lib/util.cjs': UTIL,
  });
});
afterAll(() => project.cleanup());

describe('tests for CommonJS sources', () => {
  it('reach the members of module.exports: the ES5 class, the branches of an object parameter, the constant', async () => {
    const ran = await runTask(project.root, { target: 'lib/shapes.js' });
    expect(ran.outcome.summary).toMatch(/^wrote lib\/shapes\.test\.js: \d+ tests kept, 0 dropped/);
    const text = await read(project.root, 'lib/shapes.test.js');
    expect(text).toContain('import * as subjectModule from "./shapes";');
    // The field compared with 'circle' and 'square' takes each branch, and the throw is pinned.
    expect(text).toContain('const result = subject.area({ kind: "circle", r: 1, side: 1 });\n    expect(result).toBe(3.141592653589793);');
    expect(text).toContain('const result = subject.area({ kind: "square", r: 1, side: 1 });\n    expect(result).toBe(1);');
    expect(text).toContain('toThrow(\n      "unknown shape example",');
    expect(text).toMatch(/const result = subject\.label\("Ada", 2\);\n\s+expect\(result\)\.toBe\("Adas"\);/);
    expect(text).toContain('const instance = new subject.Stack(2);');
    expect(text).toContain('expect(subject.VERSION).toBe("1.0.0");');
  }, 300_000);

  it('write the test of a .cjs source as a .js file that imports it with its extension', async () => {
    const ran = await runTask(project.root, { target: 'lib/util.cjs' });
    expect(ran.outcome.files).toEqual(['lib/util.test.js']);
    const text = await read(project.root, 'lib/util.test.js');
    expect(text).toContain('import * as subjectModule from "./util.cjs";');
    expect(text).toMatch(/const result = subject\.slug\("example"\);\n\s+expect\(result\)\.toBe\("example"\);/);
    expect(text).toMatch(/const result = subject\.sum\(\[1\]\);\n\s+expect\(result\)\.toBe\(1\);/);
  }, 300_000);

  it('pass under vitest, as a person runs them', () => {
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', project.root, '--reporter=json'], {
      cwd: project.root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', VITEST: undefined, VITEST_WORKER_ID: undefined, VITEST_POOL_ID: undefined },
    });
    const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as { numFailedTests: number; numPassedTests: number; numTotalTestSuites: number };
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBeGreaterThan(15);
  }, 300_000);
});
