/**
 * The handler on plain JavaScript nobody here wrote: the published sources of
 * ms, bytes and escape-html (CommonJS: `module.exports = fn` with members,
 * JSDoc, `typeof` checks) and camelcase (an untyped ES module), installed from
 * the npm registry into node_modules/.cache once. Each goes into a project of
 * its own, tested with vitest or Jest; the generated `.js` tests must pass
 * when the project's runner runs them as a person would, and pin what the
 * code returns rather than only that it is a function.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPackages, makeProject, read, repoRoot, runTask } from './harness.js';

const PACKAGES = { ms: '2.1.3', bytes: '3.1.2', 'escape-html': '1.0.3', camelcase: '8.0.0' } as const;
type Name = keyof typeof PACKAGES;
const ESM: ReadonlySet<Name> = new Set(['camelcase']);

interface Case {
  name: Name;
  framework: 'vitest' | 'jest';
  /** Pinned results the file must have at least (under vitest a function keeps one test per kind of outcome). */
  pinned: number;
}
const CASES: Case[] = [
  { name: 'ms', framework: 'vitest', pinned: 3 },
  { name: 'bytes', framework: 'vitest', pinned: 3 },
  { name: 'escape-html', framework: 'vitest', pinned: 1 },
  { name: 'camelcase', framework: 'vitest', pinned: 3 },
  { name: 'ms', framework: 'jest', pinned: 3 },
  { name: 'camelcase', framework: 'jest', pinned: 3 },
];

let sources = '';
let jestModules = '';
beforeAll(async () => {
  sources = path.join(await installPackages('js-packages', PACKAGES), 'node_modules');
  jestModules = path.join(await installPackages('jest-js', { jest: '30' }), 'node_modules');
}, 300_000);

/** A project holding the package's main file as lib/<name>.js, with the runner's default test patterns. */
function projectFor({ name, framework }: Case) {
  const esm = ESM.has(name);
  const files = {
    'package.json': JSON.stringify({ name: `copy-of-${name}`, ...(esm ? { type: 'module' } : {}), devDependencies: { [framework]: framework === 'jest' ? '^30' : '^4' } }, null, 2),
    [`lib/${name}.js`]: readFileSync(path.join(sources, name, 'index.js'), 'utf8'),
  };
  if (framework === 'vitest') {
    // A config of its own, so vitest does not take this repository's from a parent folder; vitest itself resolves from there.
    return makeProject({ ...files, 'vitest.config.mjs': 'export default {};\n' });
  }
  // Outside node_modules, where Jest does not look for tests; Jest comes from the cache through a link.
  const project = makeProject(files, os.tmpdir());
  symlinkSync(jestModules, path.join(project.root, 'node_modules'));
  return project;
}

/** Run the project's tests the way a person would; the counts of passed and failed tests. */
function runTests(root: string, { name, framework }: Case): { passed: number; failed: number } {
  const env = { ...process.env, NO_COLOR: '1', VITEST: undefined, VITEST_WORKER_ID: undefined, VITEST_POOL_ID: undefined, JEST_WORKER_ID: undefined, NODE_OPTIONS: undefined };
  const args = framework === 'vitest'
    ? [path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', root, '--reporter=json']
    : [...(ESM.has(name) ? ['--experimental-vm-modules'] : []), path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--json', '--ci', '--rootDir', root];
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env });
  const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as { numFailedTests: number; numPassedTests: number };
  return { passed: report.numPassedTests, failed: report.numFailedTests };
}

describe.each(CASES)('generated tests for the source of $name under $framework', (testCase) => {
  const { name } = testCase;
  let project = { root: '', cleanup: () => undefined as void };
  beforeAll(() => {
    project = projectFor(testCase);
  });
  afterAll(() => (process.env.KEEP_PROJECTS ? undefined : project.cleanup()));

  it('are written, pass under the runner, and pin returned values', async () => {
    const ran = await runTask(project.root, { target: `lib/${name}.js` });
    expect(ran.outcome.status).toBe('changed');
    expect(ran.outcome.files).toEqual([`lib/${name}.test.js`]);
    const kept = Number(/(\d+) tests? kept/.exec(ran.outcome.summary)?.[1]);
    const text = await read(project.root, `lib/${name}.test.js`);
    // Plain JavaScript: no type annotations or casts; a CommonJS test under Jest loads with require.
    expect(text).not.toMatch(/ as unknown| as \{|: unknown\b/);
    if (testCase.framework === 'jest' && !ESM.has(name)) expect(text).not.toMatch(/^import /m);
    // Behaviour, not only "is a function": results pinned with toBe / toMatchObject / toThrow("...").
    const pinned = text.match(/expect\(result\)\.(toBe|toMatchObject|toEqual|toBeNull|toBeUndefined)\(|\)\.toThrow\(\s*["']/g) ?? [];
    expect(pinned.length).toBeGreaterThanOrEqual(testCase.pinned);
    const report = runTests(project.root, testCase);
    expect(report.failed).toBe(0);
    expect(report.passed).toBe(kept);
    process.stdout.write(`${name} (${testCase.framework}): ${ran.outcome.summary}; ${pinned.length} pinned results\n`);
  }, 600_000);
});
