/**
 * The built-in `docs/testing-guide` describes only what the target holds:
 * rendered through the CLI (a file_generation task) for repositories built
 * from real corpus files, it names their own scripts, shared test code and
 * configured coverage thresholds, and says nothing about fixtures, helpers,
 * routes, Python or thresholds that are not there.
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

const PLAN = `version: 1
project: { name: acme }
phases:
  - id: 1
    name: Docs
    groups:
      - id: docs
        name: Docs
        tasks:
          - { id: "1.1", name: Testing guide, type: file_generation, template: docs/testing-guide, target: docs/TESTING.md }
`;

/** Render the guide for a repository made of `files`; its text. */
async function guideFor(files: Record<string, string>): Promise<string> {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-guide-')));
  dirs.push(dir);
  for (const [file, text] of Object.entries({ ...files, 'plan/phases.yaml': PLAN })) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  const result = await runCli(['run', '--all', '--reporter', 'plain', '--config', 'plan/phases.yaml', '--cwd', dir], { cwd: dir });
  expect(result.stderr, result.stdout).toBe('');
  expect(result.code).toBe(0);
  return fs.readFileSync(path.join(dir, 'docs/TESTING.md'), 'utf8');
}

const corpusFile = (file: string) => fs.readFileSync(path.join(corpus, file), 'utf8');

/** Things the old guide said of every repository. */
const INVENTED = [/fixtures\/users/, /buildUser/, /InMemoryDatabase/, /resetDatabase/, /buildTestApp/, /integration\/routes/, /requirements-dev\.txt/, /--cov=app/, /test:e2e/, /conftest/, /in-memory database/];

describe('docs/testing-guide for a repository it was not written for', () => {
  it('a Vitest repository on pnpm: its scripts, its thresholds (50 %), its CI, and no invented test code', async () => {
    const guide = await guideFor({
      'package.json': JSON.stringify({ name: 'dispatch', type: 'module', scripts: { test: 'vitest run', lint: 'eslint .', build: 'tsc' }, devDependencies: { vitest: '^3.0.0' } }),
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      'vitest.config.mts': corpusFile('vitest/0-sayed__dispatch__vitest.config.mts'),
      '.github/workflows/ci.yml': corpusFile('workflows/0-sayed__dispatch__.github__workflows__ci.yml'),
      'src/queue.ts': 'export const x = 1;\n',
      'src/queue.test.ts': "import { x } from './queue';\n",
    });
    expect(guide).toContain('The Node tests run on Vitest, through `pnpm`');
    expect(guide).toMatch(/\| `lint` +\| `eslint \.` +\|/);
    expect(guide).toContain('The build fails when coverage drops below the thresholds in\n`vitest.config.mts`: lines 50 %, branches 50 %, functions 50 %, statements 50 %.');
    expect(guide).toContain('The tests run in `.github/workflows/ci.yml`.');
    expect(guide).toContain('Unit tests sit beside the modules they test');
    expect(guide).not.toMatch(/Shared test code|Python|pytest|End-to-end|Integration tests/);
    for (const invented of INVENTED) expect(guide).not.toMatch(invented);
  });

  it('a Jest repository with global thresholds of 80 % and shared fixtures: names the fixtures and what they export', async () => {
    const guide = await guideFor({
      'package.json': JSON.stringify({ name: 'score', scripts: { test: 'jest' }, devDependencies: { jest: '^29.0.0' } }),
      'package-lock.json': '{}\n',
      'jest.config.js': corpusFile('jest/01tek__npm-security-score__jest.config.js'),
      'test/fixtures/packages.js': 'export const lodashPackage = {};\nexport function buildPackage() {}\n',
    });
    expect(guide).toContain('`jest.config.js`: lines 80 %, branches 80 %, functions 80 %, statements 80 %.');
    expect(guide).toContain('- `test/fixtures/packages.js`: lodashPackage, buildPackage');
    expect(guide).toContain('No test folder was found yet');
    expect(guide).not.toMatch(/## In CI|Python/);
    for (const invented of INVENTED) expect(guide).not.toMatch(invented);
  });

  it('a Python repository tested with pytest and no threshold: its own commands, no Node, no threshold claimed', async () => {
    const guide = await guideFor({
      'pyproject.toml': '[project]\nname = "campus"\ndependencies = ["pytest", "pytest-cov"]\n',
      'tests/conftest.py': 'import pytest\n\n\n@pytest.fixture\ndef client():\n    return None\n',
      'tests/test_app.py': 'def test_one(client):\n    assert client is None\n',
      '.github/workflows/ci-cd.yml': corpusFile('workflows/0Tarun0709__Campus-Event-Student-Service-Management__.github__workflows__ci-cd.yml'),
    });
    expect(guide).toContain('python -m pytest -q --cov');
    expect(guide).toContain('- `tests/conftest.py`: client (pytest fixture)');
    expect(guide).toContain('No coverage threshold is configured yet');
    expect(guide).not.toMatch(/npm|Jest|Vitest|package\.json/);
    expect(guide).not.toMatch(/requirements|fixtures\/|buildUser/);
  });
});
