/**
 * The test_generation handler on small real projects: files staged through a
 * real workspace, candidates run by the real vitest, reruns that keep every
 * byte, a person's file left alone, and bad input refused with nothing written.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HEADER_PREFIX } from '../../handlers/test-generation/test-file.js';
import { failure, makeProject, read, runTask } from './harness.js';

const PKG = JSON.stringify({ name: 'sample', type: 'module', devDependencies: { vitest: '^4' } });
const MATH = `export function add(a: number, b: number): number {
  return a + b;
}
export function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port)) throw new Error(\`not a port: \${text}\`);
  return port;
}
export function describeUser(user: { name: string }): string {
  return user.name;
}
`;
// Throws until a day has passed: the probe's second pass, a few days ahead, sees it return, so it is not pinned.
const UPTIME = `const loaded = Date.now();
export function uptimeDays(label: string): number {
  const days = Math.floor((Date.now() - loaded) / 86_400_000);
  if (days < 1) throw new Error(\`\${label}: up for less than a day\`);
  return days;
}
`;
const TEST_FILE = '{dir}/__tests__/{name}.test.ts';
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));
function project(files: Record<string, string>) {
  const p = makeProject({ 'package.json': PKG, ...files });
  cleanups.push(p.cleanup);
  return p.root;
}

describe('a new test file', () => {
  it('keeps the tests that pass, turns the failing one into a placeholder naming it, and says so', async () => {
    const root = project({ 'src/math.ts': MATH + UPTIME });
    const { outcome, logs } = await runTask(root, { target: 'src/math.ts', test_file: TEST_FILE });
    expect(outcome).toMatchObject({ status: 'changed', files: ['src/__tests__/math.test.ts'] });
    expect(outcome.summary).toMatch(/^wrote src\/__tests__\/math.test.ts: \d+ tests kept, 1 dropped, 1 placeholder$/);
    const text = await read(root, 'src/__tests__/math.test.ts');
    expect(text.startsWith(`${HEADER_PREFIX}src/math.ts.`)).toBe(true);
    // What each call did is pinned: the value returned, the message thrown.
    expect(text).toContain('const result = subject.add(1, 1);\n    expect(result).toBe(2);');
    expect(text).toContain('expect(() => subject.parsePort("example")).toThrow("not a port: example");');
    expect(text).toContain('const result = subject.describeUser({ name: "Ada" });\n    expect(result).toBe("Ada");');
    expect(text).not.toContain('it.todo(\n    "describeUser');
    expect(text).toMatch(/it\.todo\(\s*'uptimeDays\("example"\): failed when run with these values; specify its behaviour',?\s*\)/);
    expect(logs.join('\n')).toMatch(/dropped "uptimeDays\("example"\) returns a number": Error: example: up for less than a day/);
    // The candidate that ran was removed; only the final file is left.
    expect(readdirSync(path.join(root, 'src', '__tests__'))).toEqual(['math.test.ts']);
  });

  it('formats with the target prettier config', async () => {
    const root = project({ 'src/math.ts': MATH, '.prettierrc': '{ "singleQuote": true, "semi": false }\n' });
    await runTask(root, { target: 'src/math.ts', test_file: TEST_FILE, verify: false });
    const text = await read(root, 'src/__tests__/math.test.ts');
    expect(text).toContain("import { describe, expect, it } from 'vitest'\n");
  });

  it('mocks the database and network packages the source imports', async () => {
    const root = project({ 'src/repo.ts': "import { Pool } from 'pg';\nimport axios from 'axios';\nimport { x } from './x';\nexport const pool = new Pool();\n" });
    await runTask(root, { target: 'src/repo.ts', test_file: TEST_FILE, verify: false });
    const text = await read(root, 'src/__tests__/repo.test.ts');
    expect(text).toMatch(/vi\.mock\("axios"\);.*\nvi\.mock\("pg"\);/);
    expect(text).not.toContain('vi.mock("./x")');
  });

  it('writes nothing in a dry run, runs nothing, and names the file without content that a run would not write', async () => {
    const root = project({ 'src/math.ts': MATH });
    const { outcome, changes } = await runTask(root, { target: 'src/math.ts', test_file: TEST_FILE }, { dryRun: true });
    expect(outcome.status).toBe('changed');
    expect(outcome.summary).toMatch(/^would write tests for 1 source \(1 new file\); which tests are kept is decided when it runs/);
    expect(outcome.details).toEqual(['would write src/__tests__/math.test.ts']);
    // No diff: what a run keeps is decided by running the tests, so any content shown now would differ.
    expect(changes).toEqual([]);
    expect(existsSync(path.join(root, 'src', '__tests__'))).toBe(false);
  });
});

describe('running again', () => {
  it('changes nothing, then adds a block for a new export only, every other byte kept', async () => {
    const root = project({ 'src/math.ts': MATH });
    await runTask(root, { target: 'src/math.ts', test_file: TEST_FILE });
    const first = await read(root, 'src/__tests__/math.test.ts');
    const edited = first.replace('describe("add", () => {', 'describe("add", () => {\n  // a person was here');
    writeFileSync(path.join(root, 'src/__tests__/math.test.ts'), edited);

    const again = await runTask(root, { target: 'src/math.ts', test_file: TEST_FILE });
    expect(again.outcome.status).toBe('unchanged');
    expect(await read(root, 'src/__tests__/math.test.ts')).toBe(edited);

    writeFileSync(path.join(root, 'src/math.ts'), `${MATH}export function double(n: number): number {\n  return n * 2;\n}\n`);
    const third = await runTask(root, { target: 'src/math.ts', test_file: TEST_FILE });
    expect(third.outcome.status).toBe('changed');
    const after = await read(root, 'src/__tests__/math.test.ts');
    expect(after.startsWith(edited)).toBe(true);
    const added = after.slice(edited.length);
    expect(added).toContain('// orchestrate:begin export double');
    expect(added).toContain('subject.double(1)');
    expect(added).not.toContain('export add');
  });

  it('leaves a test file a person wrote alone, unless overwrite is set', async () => {
    const mine = "import { it } from 'vitest';\nit.todo('mine');\n";
    const root = project({ 'src/math.ts': MATH, 'src/__tests__/math.test.ts': mine });
    const { outcome } = await runTask(root, { target: 'src/math.ts', test_file: TEST_FILE });
    expect(outcome.status).toBe('unchanged');
    expect(outcome.summary).toMatch(/src\/__tests__\/math.test.ts was written by a person; left as it is \(set overwrite: true/);
    expect(await read(root, 'src/__tests__/math.test.ts')).toBe(mine);

    const replaced = await runTask(root, { target: 'src/math.ts', test_file: TEST_FILE, overwrite: true, verify: false });
    expect(replaced.outcome.status).toBe('changed');
    expect(await read(root, 'src/__tests__/math.test.ts')).toContain(HEADER_PREFIX);
  });
});

describe('only_untested and globs', () => {
  it('skips sources with a conventional test beside them, and files .gitignore leaves out', async () => {
    const root = project({
      'src/a.ts': 'export const a = 1;\n',
      'src/b.ts': 'export const b = 2;\n',
      'src/b.spec.ts': "import { it } from 'vitest';\nit.todo('b');\n",
      'src/c.ts': 'export const c = 3;\n',
      'src/gen/d.ts': 'export const d = 4;\n',
      '.gitignore': 'src/gen/\n',
    });
    const { execFileSync } = await import('node:child_process');
    execFileSync('git', ['init', '-q'], { cwd: root });
    const { outcome } = await runTask(root, { targets: 'src/**/*.ts', test_file: '{dir}/{name}.test.ts', only_untested: true });
    expect(outcome.files).toEqual(['src/a.test.ts', 'src/c.test.ts']);
    expect(outcome.summary).toMatch(/; 1 already tested$/);
    expect(outcome.details).toContain('1 already tested: src/b.ts');
  });
});

describe('bad input: a clear failure, nothing written', () => {
  const cases: [string, Record<string, string>, Record<string, unknown>, RegExp][] = [
    ['a source that does not parse', { 'src/bad.ts': 'export function f( {\n' }, { target: 'src/bad.ts' }, /src\/bad.ts does not parse: line \d+, column \d+/],
    ['a glob that matches nothing', {}, { targets: 'lib/**/*.ts' }, /targets "lib\/\*\*\/\*.ts" matched no source files/],
    ['a missing target', {}, { target: 'src/nope.ts' }, /target src\/nope.ts does not exist/],
    ['a route template on a module without routes', { 'src/m.ts': MATH }, { target: 'src/m.ts', template: 'route' }, /template route does not apply to src\/m.ts/],
    ['the python template on a TypeScript source', { 'src/m.ts': MATH }, { target: 'src/m.ts', template: 'python' }, /template python does not apply to src\/m.ts/],
    ['a test_file pattern leaving the root', { 'src/m.ts': MATH }, { target: 'src/m.ts', test_file: '../{name}.test.ts' }, /test_file pattern "..\/{name}.test.ts" puts the test of src\/m.ts at ..\/m.test.ts, outside the target root/],
    ['an unknown placeholder', { 'src/m.ts': MATH }, { target: 'src/m.ts', test_file: '{folder}/{name}.test.ts' }, /unknown placeholder {folder}/],
    ['two sources sharing one test file', { 'src/a.ts': MATH, 'src/b.ts': MATH }, { targets: 'src/*.ts', test_file: 'test/all.test.ts' }, /gives src\/a.ts and src\/b.ts the same test file test\/all.test.ts/],
    ['a module that throws when loaded', { 'src/m.ts': "export const x = 1;\nthrow new Error('cannot load without a database');\n" }, { target: 'src/m.ts' }, /could not run, so nothing was written[\s\S]*cannot load without a database/],
  ];
  it.each(cases)('%s', async (_name, files, fields, message) => {
    const root = project(files);
    const before = readdirSync(root, { recursive: true }).sort();
    const error = await failure(runTask(root, { test_file: TEST_FILE, ...fields }));
    expect(error.message).toMatch(message);
    expect(error.hint).toBeTruthy();
    expect(readdirSync(root, { recursive: true }).sort()).toEqual(before);
  });

  it('a project naming no test framework', async () => {
    const root = makeProject({ 'package.json': '{ "name": "bare" }', 'src/m.ts': MATH });
    cleanups.push(root.cleanup);
    const error = await failure(runTask(root.root, { target: 'src/m.ts' }));
    expect(error.message).toMatch(/package.json names neither jest nor vitest/);
    expect(error.hint).toMatch(/framework: jest/);
  });
});

describe('Python sources', () => {
  it('go to the Python generator, which writes a pytest module that passes', async () => {
    const { readFileSync } = await import('node:fs');
    const { execFileSync } = await import('node:child_process');
    const where = execFileSync('python3', ['-c', 'import colorsys; print(colorsys.__file__)'], { encoding: 'utf8' }).trim();
    const colorsys = readFileSync(where, 'utf8');
    const root = project({ 'colorsys_copy.py': colorsys });
    const { outcome } = await runTask(root, { target: 'colorsys_copy.py', test_file: 'tests/test_{name}.py' });
    expect(outcome.status).toBe('changed');
    expect(outcome.files).toEqual(['tests/test_colorsys_copy.py']);
    expect(outcome.summary).toMatch(/\d+ tests? kept/);
    expect(await read(root, 'tests/test_colorsys_copy.py')).toMatch(/^# Generated by orchestrate test_generation from colorsys_copy.py/);
  });
});

describe('stateful classes', () => {
  it('call a method taking an id with the id of something the class just created', async () => {
    const root = project({
      'src/store.ts': `export interface Item { id: number; name: string }
export class Store {
  private items: Item[] = [];
  add(name: string): Item {
    const item = { id: this.items.length + 7, name };
    this.items.push(item);
    return item;
  }
  get(id: number): Item {
    const item = this.items.find((i) => i.id === id);
    if (!item) throw new Error(\`no item \${id}\`);
    return item;
  }
}
`,
    });
    const { outcome } = await runTask(root, { target: 'src/store.ts', test_file: TEST_FILE });
    expect(outcome.summary).toMatch(/0 dropped/);
    const text = await read(root, 'src/__tests__/store.test.ts');
    // The id is typed as get() takes it, and the item it finds is pinned.
    expect(text).toContain('const created = instance.add("Ada") as unknown as { id: number };');
    expect(text).toContain('it(\'Store#get(id of one from add("Ada")) returns an object\', () => {');
    expect(text).toContain('const result = instance.get(created.id);\n    expect(result).toMatchObject({ id: 7, name: "Ada" });');
    // get() on an empty store throws; one test says so, not one per made-up id.
    expect(text).toContain('expect(() => instance.get(1)).toThrow("no item 1");');
    expect(text.match(/toThrow\("no item/g)).toHaveLength(1);
  });
});

describe('values made of time or chance', () => {
  it('are checked by their type, never pinned to what one run saw', async () => {
    const root = project({
      'src/clock.ts': `export function now(): number {
  return Date.now();
}
export function roll(): number {
  return Math.random();
}
export function ticket(): { id: number; at: number } {
  return { id: 1, at: Date.now() };
}
`,
    });
    const { outcome } = await runTask(root, { target: 'src/clock.ts', test_file: TEST_FILE });
    expect(outcome.summary).toMatch(/0 dropped/);
    const text = await read(root, 'src/__tests__/clock.test.ts');
    expect(text).toMatch(/const result = subject\.now\(\);\s*expect\(typeof result\)\.toBe\("number"\);/);
    expect(text).toMatch(/const result = subject\.roll\(\);\s*expect\(typeof result\)\.toBe\("number"\);/);
    // The stable part of an object is pinned, the time in it is not.
    expect(text).toContain('expect(result).toMatchObject({ id: 1, at: expect.any(Number) });');
    expect(text).not.toMatch(/\d{10,}/);
  });
});
