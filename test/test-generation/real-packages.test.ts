/**
 * The handler on code nobody here wrote: the TypeScript sources of redux and
 * ts-dedent, installed from the npm registry into node_modules/.cache (once;
 * later runs reuse them). The generated tests must type-check with tsc and
 * pass under vitest, run as separate processes the way a person would.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPackages, makeProject, repoRoot, runTask } from './harness.js';

const PACKAGES = { redux: '5.0.1', 'ts-dedent': '2.3.0' } as const;
let installDir = '';

/** A project holding one package's src/, with vitest named in package.json, under git (so .gitignore counts). */
function projectFrom(name: keyof typeof PACKAGES) {
  const project = makeProject({
    'package.json': JSON.stringify({ name: `copy-of-${name}`, type: 'module', devDependencies: { vitest: '^4' } }, null, 2),
    '.gitignore': 'src/ignored.ts\n',
    'src/ignored.ts': 'export const ignored = 1;\n',
    'tsconfig.json': JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], lib: ['ES2022', 'DOM'] },
      include: ['src'],
    }),
  });
  // The package's own tests stay behind: they are written for its own set-up.
  cpSync(path.join(installDir, 'node_modules', name, 'src'), path.join(project.root, 'src'), {
    recursive: true,
    filter: (from) => !/[\\/]__tests__([\\/]|$)|\.(test|spec)\.ts$/.test(from),
  });
  execFileSync('git', ['init', '-q'], { cwd: project.root });
  return project;
}

function tsc(root: string) {
  return spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: root, encoding: 'utf8' });
}

/** Vitest on the project, naming the files to run (each generated one), as `vitest run <files>` from the project. */
function vitest(root: string, files: string[]) {
  return spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...files, '--root', root, '--reporter=json', '--cache=false'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', VITEST: undefined, VITEST_WORKER_ID: undefined, VITEST_POOL_ID: undefined },
  });
}

beforeAll(async () => {
  installDir = await installPackages('packages', PACKAGES);
}, 300_000);

describe.each(Object.keys(PACKAGES) as (keyof typeof PACKAGES)[])('generated tests for the sources of %s', (name) => {
  let project = { root: '', cleanup: () => undefined as void };
  beforeAll(() => {
    project = projectFrom(name);
  });
  afterAll(() => (process.env.KEEP_PROJECTS ? undefined : project.cleanup()));
  let generated: string[] = [];

  it('are written for every module with something to test, and not for ignored files', async () => {
    const ran = await runTask(project.root, { targets: 'src/**/*.ts', test_file: '{dir}/__tests__/{name}.test.ts' });
    expect(ran.outcome.status).toBe('changed');
    generated = ran.outcome.files;
    expect(generated.length).toBeGreaterThan(0);
    expect(generated).not.toContain('src/__tests__/ignored.test.ts');
    expect(ran.outcome.summary).toMatch(/\d+ tests? kept/);
    const kept = Number(/(\d+) tests? kept/.exec(ran.outcome.summary)?.[1]);
    expect(kept).toBeGreaterThan(3);
  }, 600_000);

  it('type-check with tsc', () => {
    expect(generated.length).toBeGreaterThan(0);
    const result = tsc(project.root);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 300_000);

  it('pass under vitest, every generated file', () => {
    const result = vitest(project.root, generated);
    const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as { numFailedTests: number; numPassedTests: number; numTodoTests: number; testResults: { name: string; status: string }[] };
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBeGreaterThan(3);
    // vitest names files by their real path; the project may sit behind a symlinked node_modules.
    const root = realpathSync(project.root);
    const ran = report.testResults.map((r) => path.relative(root, realpathSync(r.name)).split(path.sep).join('/'));
    for (const file of generated) expect(ran, `vitest ran ${ran.join(', ')}`).toContain(file);
    expect(report.testResults.every((r) => r.status === 'passed')).toBe(true);
  }, 300_000);
});
