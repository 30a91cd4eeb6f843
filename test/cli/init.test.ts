/**
 * `orchestrate init` through the built CLI: on the demo and on repositories
 * built from real files of ../shared/corpus (a workflow and a test config
 * from the same public repository, with a package.json or pyproject.toml
 * around them), the printed plan names what the repository holds, validates,
 * and its dry run succeeds without writing anything. `--write` refuses to
 * overwrite a plan.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

const corpus = path.resolve(repoRoot, '../shared/corpus');
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A temp repository made of `files` (path to text). */
function repository(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-init-')));
  dirs.push(dir);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const fromCorpus = (file: string) => fs.readFileSync(path.join(corpus, file), 'utf8');
const manifest = (fields: Record<string, unknown>) => `${JSON.stringify({ name: 'app', version: '1.0.0', ...fields }, null, 2)}\n`;

/** Every file of a directory with its content, to show a dry run wrote nothing. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out[path.relative(dir, path.join(entry.parentPath, entry.name))] = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
  }
  return out;
}

/** init, then validate and dry-run what it printed; the plan text. */
async function initValidateDryRun(dir: string): Promise<string> {
  const init = await runCli(['init', '--cwd', dir]);
  expect(init.stderr).toBe('');
  expect(init.code).toBe(0);
  const plan = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-init-plan-')), 'phases.yaml');
  dirs.push(path.dirname(plan));
  fs.writeFileSync(plan, init.stdout);
  const validate = await runCli(['validate', '--config', plan]);
  expect(validate.stdout + validate.stderr).toMatch(/is valid/);
  expect(validate.code).toBe(0);
  const before = snapshot(dir);
  const dry = await runCli(['run', '--all', '--dry-run', '--reporter', 'plain', '--config', plan, '--cwd', dir], { timeoutMs: 240_000 });
  expect(dry.stderr, dry.stdout).toBe('');
  expect(dry.code).toBe(0);
  expect(dry.stdout).toMatch(/Dry run complete: nothing was written/);
  expect(dry.stdout).not.toMatch(/\bfailed\b/);
  expect(snapshot(dir)).toEqual(before);
  return init.stdout;
}

describe('orchestrate init', () => {
  it('proposes a plan for the demo: its workflow faults and its Jest config', async () => {
    const dir = repository({});
    fs.cpSync(path.join(repoRoot, 'examples/demo-monorepo'), dir, { recursive: true, filter: (src) => !/node_modules|coverage/.test(src) });
    const plan = await initValidateDryRun(dir);
    expect(plan.startsWith('# yaml-language-server: $schema=')).toBe(true);
    const schema = /\$schema=(\S+)/.exec(plan)![1]!;
    expect(fs.existsSync(path.resolve(dir, schema))).toBe(true);
    expect(plan).toContain('#   package manager: npm (package-lock.json)');
    expect(plan).toContain('#   Node: TypeScript, CommonJS; tests: Jest (jest.config.js), `npm test`');
    expect(plan).toContain('#   Python: python/, pytest (python/pyproject.toml); coverage minimum: none');
    expect(plan).toContain('.github/workflows/ci.yml: continue-on-error on tests (test); no timeout-minutes (lint, test, python); no concurrency');
    expect(plan).toContain('action: remove_continue_on_error\n            file: .github/workflows/ci.yml\n            params: { jobs: [test] }');
    expect(plan).toContain('action: add_directory_thresholds\n            file: jest.config.js');
  });

  it('reads a Jest and TypeScript repository on yarn whose tests cannot fail CI (cord-api-v3)', async () => {
    const dir = repository({
      'package.json': manifest({ scripts: { test: 'jest' }, devDependencies: { jest: '^29.0.0', typescript: '^5.0.0', 'ts-jest': '^29.0.0' } }),
      'yarn.lock': '# yarn lockfile v1\n',
      'tsconfig.json': '{ "compilerOptions": { "strict": true } }\n',
      'jest.config.ts': fromCorpus('jest/SeedCompany__cord-api-v3__jest.config.ts'),
      '.github/workflows/test.yml': fromCorpus('workflows/SeedCompany__cord-api-v3__.github__workflows__test.yml'),
      'src/index.ts': 'export const one = 1;\n',
    });
    const plan = await initValidateDryRun(dir);
    expect(plan).toContain('#   package manager: yarn (yarn.lock)');
    // Its tsconfig.json has no include: the build would take in any test file, so the task is only proposed.
    expect(plan).not.toContain('type: test_generation\n');
    expect(plan).toContain('  # tsconfig.json compiles every .ts file (no "include"), so generated tests would land in the build. With');
    expect(plan).toContain('#   Node: TypeScript, CommonJS; tests: Jest (jest.config.ts), `yarn test`');
    expect(plan).toMatch(/\.github\/workflows\/test\.yml: continue-on-error on tests/);
    expect(plan).toContain('{ name: tests pass, run: yarn test }');
  });

  it('reads a Vitest ES module repository on pnpm (dispatch)', async () => {
    const dir = repository({
      'package.json': manifest({ type: 'module', scripts: { test: 'vitest run' }, devDependencies: { vitest: '^3.0.0', typescript: '^5.0.0' } }),
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      'vitest.config.mts': fromCorpus('vitest/0-sayed__dispatch__vitest.config.mts'),
      '.github/workflows/ci.yml': fromCorpus('workflows/0-sayed__dispatch__.github__workflows__ci.yml'),
      'src/index.ts': 'export const one = 1;\n',
    });
    const plan = await initValidateDryRun(dir);
    expect(plan).toContain('#   package manager: pnpm (pnpm-lock.yaml)');
    expect(plan).toContain('#   Node: TypeScript, ES modules; tests: Vitest (vitest.config.mts), `pnpm test`');
    expect(plan).toContain('file: vitest.config.mts');
  });

  it('reads a Python repository tested with pytest, with no Node at all (Campus-Event)', async () => {
    const dir = repository({
      'pyproject.toml': '[project]\nname = "campus-events"\n\n[project.optional-dependencies]\ntest = ["pytest", "pytest-cov"]\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
      '.github/workflows/ci-cd.yml': fromCorpus('workflows/0Tarun0709__Campus-Event-Student-Service-Management__.github__workflows__ci-cd.yml'),
      'tests/test_app.py': 'def test_one():\n    assert 1 == 1\n',
    });
    const plan = await initValidateDryRun(dir);
    expect(plan).toContain('name: campus-events');
    expect(plan).toContain('#   Python: at the root, pytest (pyproject.toml); coverage minimum: none');
    expect(plan).not.toMatch(/jest|vitest/i);
    expect(plan).toContain('--cov-fail-under');
  });

  it('proposes a plan that still validates for a repository with nothing to fix, naming a workflow it cannot read', async () => {
    const dir = repository({ 'README.md': '# nothing\n', '.github/workflows/bad.yml': 'on: push\njobs:\n  a: [\n' });
    const plan = await initValidateDryRun(dir);
    expect(plan).toContain('#   .github/workflows/bad.yml: left alone, it does not parse as YAML (.github/workflows/bad.yml:4:1: ');
  });

  it('proposes generated tests for what a package publishes, in the runner it uses, and says what is missing when it has none', async () => {
    const library = { 'index.js': 'export default function limit(n) {\n  return n;\n}\n', 'index.d.ts': 'export default function limit(n: number): number;\n', 'scripts/release.js': 'console.log(1);\n', 'eslint.config.js': 'export default [];\n' };
    const withVitest = repository({ ...library, 'package.json': manifest({ type: 'module', files: ['index.js', 'index.d.ts'], scripts: { test: 'vitest run' }, devDependencies: { vitest: '^4.0.0' } }) });
    const plan = await initValidateDryRun(withVitest);
    expect(plan).toContain('  - id: 3\n    name: Tests where there are none\n');
    expect(plan).toContain('            type: test_generation\n            targets: [index.js]\n            only_untested: true\n');
    expect(plan).toContain('    checkpoints:\n      - { name: tests pass, run: npm test }');

    const withAva = repository({ ...library, 'package.json': manifest({ type: 'module', files: ['index.js', 'index.d.ts'], scripts: { test: 'xo && ava' }, devDependencies: { ava: '^6.0.0' } }) });
    const noRunner = await initValidateDryRun(withAva);
    expect(noRunner).not.toContain('type: test_generation\n');
    expect(noRunner).toContain('  # Generated tests are written for Jest or Vitest, and this repository uses neither (its tests: `xo && ava`).');
    expect(noRunner).toContain('#   - { id: "3.1", name: Generate tests for untested sources, type: test_generation, targets: [index.js], only_untested: true }');
    expect(noRunner).toContain('- { id: "1.1", name: Run the tests, type: command, run: [npm, test] }');
  });

  it('proposes generated tests for a TypeScript src/ folder and for a Python package, each with its own checkpoint', async () => {
    const dir = repository({
      'package.json': manifest({ scripts: { test: 'jest' }, devDependencies: { jest: '^29.0.0', typescript: '^5.0.0' } }),
      'tsconfig.json': '{\n  // the build\n  "compilerOptions": { "outDir": "dist" },\n  "include": ["src"]\n}\n',
      'src/index.ts': 'export const one = 1;\n',
      'service/pyproject.toml': '[project]\nname = "svc"\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
      'service/setup.py': 'from setuptools import setup\nsetup()\n',
      'service/svc/__init__.py': '',
      'service/svc/core.py': 'def double(x):\n    return x * 2\n',
      'service/tests/test_core.py': 'def test_one():\n    assert 1 == 1\n',
    });
    const plan = await initValidateDryRun(dir);
    expect(plan).toContain('targets: ["src/**/*.{ts,tsx}"]');
    expect(plan).toContain('targets: ["service/svc/**/*.py"]');
    expect(plan).toContain('      - { name: tests pass, run: npm test }\n      - { name: pytest passes, run: [python, -m, pytest], cwd: service }');
  });

  it('writes phases.yaml with --write and refuses to overwrite it, exit 2', async () => {
    const dir = repository({ 'package.json': manifest({ devDependencies: { jest: '^29.0.0' } }), 'jest.config.js': 'module.exports = {};\n' });
    const first = await runCli(['init', '--write'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Wrote phases.yaml');
    const written = fs.readFileSync(path.join(dir, 'phases.yaml'), 'utf8');
    const second = await runCli(['init', '--write'], { cwd: dir });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('error: phases.yaml already exists; orchestrate init does not overwrite a plan');
    expect(second.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readFileSync(path.join(dir, 'phases.yaml'), 'utf8')).toBe(written);
    expect((await runCli(['validate'], { cwd: dir })).code).toBe(0);
  });
});
