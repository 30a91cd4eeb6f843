/**
 * A class nobody here wrote whose behaviour shows only after a sequence of
 * calls: quick-lru 7.3.0 (an ES module; a Map subclass with #private fields
 * that refuses to be built without a maxSize option), installed from the npm
 * registry once. The generated tests must build it with its options, call
 * methods on an instance another call has changed, pin what they saw, and
 * pass when vitest runs them as a person would.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { installPackages, makeProject, read, repoRoot, runTask } from './harness.js';

let project = { root: '', cleanup: () => undefined as void };
beforeAll(async () => {
  const modules = path.join(await installPackages('js-classes', { 'quick-lru': '7.3.0' }), 'node_modules');
  project = makeProject({
    'package.json': JSON.stringify({ name: 'quick-lru', type: 'module', devDependencies: { vitest: '^4' } }, null, 2),
    'index.js': readFileSync(path.join(modules, 'quick-lru', 'index.js'), 'utf8'),
    // A config of its own, so vitest does not take this repository's from a parent folder.
    'vitest.config.mjs': 'export default {};\n',
  });
}, 300_000);
afterAll(() => (process.env.KEEP_PROJECTS ? undefined : project.cleanup()));

it('builds the class with its options and pins what methods return after other calls changed the instance', async () => {
  const ran = await runTask(project.root, { target: 'index.js' });
  expect(ran.outcome.summary).toMatch(/^wrote index\.test\.js: \d+ tests kept, 0 dropped/);
  // Prettier wraps long lines: read the file with its white space folded.
  const text = (await read(project.root, 'index.test.js')).replace(/\s+/g, ' ');
  // The plain construction is refused, and that is pinned; the methods run on one built with a maxSize.
  expect(text).toContain('expect(() => new subject.default()).toThrow( "`maxSize` must be a number greater than 0", );');
  expect(text).toMatch(/const instance = new subject\.default\(\{ maxSize: \d+/);
  // At least one call runs on an instance an earlier call changed (a sequence), its result pinned.
  expect(text).toMatch(/const instance = new subject\.default\(\{[^;]*\); (await )?instance\.\w+\([^;]*\); const result = (await )?instance\.\w+\([^;]*\); expect\(result\)\./);
  // A method returning an iterator (a generator: keys(), entries()) is spread, and what it yields is pinned.
  expect(text).toMatch(/ yields (nothing|\d+ items?)["'], \(\) => \{ const instance = new subject\.default\(\{[^;]*\);( instance\.\w+\([^;]*\);)? const result = \[\.\.\.instance\.\w+\(\)\]; expect\(result\)\.(toEqual\(\[\]\)|toMatchObject\(\[)/);
  const run = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', project.root, '--reporter=json'], {
    cwd: project.root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', VITEST: undefined, VITEST_WORKER_ID: undefined, VITEST_POOL_ID: undefined },
  });
  const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as { numFailedTests: number; numPassedTests: number };
  expect(report.numFailedTests).toBe(0);
  expect(report.numPassedTests).toBe(Number(/(\d+) tests kept/.exec(ran.outcome.summary)?.[1]));
}, 600_000);
