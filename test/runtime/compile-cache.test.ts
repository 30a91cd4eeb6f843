/**
 * The compile cache in a real Node process (the hook patches the process's
 * CommonJS loader, so each case runs in a child): a large CommonJS module
 * behaves exactly as without the cache (its require, __filename, __dirname,
 * `this`, a hashbang, a throw at the top level), its bytecode is stored at
 * exit and used by the next process, an edited source is a miss, and ES
 * module syntax in a .js file, which Node detects, still loads.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir = '';
const padding = (name: string) => `\nconst ${name} = ${JSON.stringify('x'.repeat(4000))};\n`;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'orchestrate-compile-cache-unit-'));
  await build({ entryPoints: [path.resolve(import.meta.dirname, '../../src/runtime/compile-cache.ts')], bundle: true, platform: 'node', format: 'esm', outfile: path.join(dir, 'compile-cache.mjs'), logLevel: 'warning' });
  const lib = path.join(dir, 'node_modules', 'big');
  mkdirSync(lib, { recursive: true });
  writeFileSync(path.join(lib, 'package.json'), '{ "name": "big", "main": "index.js" }\n');
  writeFileSync(path.join(lib, 'small.js'), 'module.exports = { small: true };\n');
  writeFileSync(
    path.join(lib, 'index.js'),
    `#!/usr/bin/env node\n'use strict';${padding('pad')}
const small = require('./small.js');
exports.answer = 42;
exports.self = this === module.exports;
exports.file = __filename;
exports.dir = __dirname;
exports.small = small.small;
exports.resolved = require.resolve('./small.js');
exports.twice = (n) => n * 2;
`,
  );
  writeFileSync(path.join(lib, 'throws.js'), `${padding('pad')}\nthrow new Error('thrown at the top level');\n`);
  const esm = path.join(dir, 'node_modules', 'esm-big');
  mkdirSync(esm, { recursive: true });
  writeFileSync(path.join(esm, 'package.json'), '{ "name": "esm-big", "main": "index.js" }\n');
  writeFileSync(path.join(esm, 'index.js'), `${padding('pad')}\nexport const x = 7;\n`);
  writeFileSync(
    path.join(dir, 'run.mjs'),
    `import { createRequire } from 'node:module';
import { enableCompileCache } from './compile-cache.mjs';
const handle = enableCompileCache(process.argv[2], { minBytes: 1000 });
const require = createRequire(import.meta.url);
const big = require('big');
let thrown;
try { require('big/throws.js'); } catch (error) { thrown = error.message; }
let esm;
try { esm = require('esm-big').x; } catch (error) { esm = 'refused: ' + error.code; }
const result = { big: { ...big, twice: big.twice(21) }, thrown, esm };
// After the cache's own exit listener, which stores the entries.
process.once('exit', () => console.log(JSON.stringify({ ...result, stats: handle.stats ?? null })));
`,
  );
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function run(cache: string): { big: Record<string, unknown>; thrown: string; esm: unknown; stats: Record<string, number> | null } {
  const out = execFileSync(process.execPath, [path.join(dir, 'run.mjs'), cache], { cwd: dir, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/** The same program without the cache: plain require. */
function plain(): unknown {
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', `import { createRequire } from 'node:module'; const require = createRequire(${JSON.stringify(path.join(dir, 'run.mjs'))}); const big = require('big'); let thrown; try { require('big/throws.js'); } catch (error) { thrown = error.message; } let esm; try { esm = require('esm-big').x; } catch (error) { esm = 'refused: ' + error.code; } console.log(JSON.stringify({ big: { ...big, twice: big.twice(21) }, thrown, esm }));`],
    { cwd: dir, encoding: 'utf8' },
  );
  return JSON.parse(out);
}

const nodeHasItsOwn = typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function';

describe.skipIf(nodeHasItsOwn)('the compile cache hook (Node 20)', () => {
  it('runs a large module exactly as Node does, stores its bytecode at exit and uses it next time', () => {
    const cache = path.join(dir, 'cache-a');
    const expected = plain();
    const first = run(cache);
    expect({ big: first.big, thrown: first.thrown, esm: first.esm }).toEqual(expected);
    expect(first.big).toMatchObject({ answer: 42, self: true, small: true, twice: 42, file: path.join(dir, 'node_modules', 'big', 'index.js') });
    expect(first.thrown).toBe('thrown at the top level');
    expect(first.esm).toBe(7);
    // index.js and throws.js are large enough; small.js and the ES module go to Node untouched.
    expect(first.stats).toEqual({ hits: 0, misses: 2, ignored: 0, stored: 2, unwritable: 0 });
    expect(readdirSync(cache).filter((f) => f.endsWith('.bin'))).toHaveLength(2);

    const second = run(cache);
    expect({ big: second.big, thrown: second.thrown, esm: second.esm }).toEqual(expected);
    expect(second.stats).toEqual({ hits: 2, misses: 0, ignored: 0, stored: 0, unwritable: 0 });
  });

  it('treats an edited source as a miss, and stores its new bytecode', () => {
    const cache = path.join(dir, 'cache-b');
    run(cache);
    const index = path.join(dir, 'node_modules', 'big', 'index.js');
    writeFileSync(index, `${readFileSync(index, 'utf8')}exports.edited = true;\n`);
    const after = run(cache);
    expect(after.big.edited).toBe(true);
    expect(after.stats).toEqual({ hits: 1, misses: 1, ignored: 0, stored: 1, unwritable: 0 });
  });

  it('goes on without storing when the cache folder cannot be written', () => {
    const blocker = path.join(dir, 'not-a-folder');
    writeFileSync(blocker, 'a file where the cache folder would be\n');
    const result = run(path.join(blocker, 'cache'));
    expect(result.big.answer).toBe(42);
    expect(result.stats).toMatchObject({ hits: 0, stored: 0, unwritable: 2 });
    expect(existsSync(path.join(blocker, 'cache'))).toBe(false);
  });
});
