/**
 * The config_edit handler through a real workspace on real files: a change
 * is staged and written, a second run is unchanged, a dry run only shows the
 * diff, an action that does not apply skips the task, and bad input (missing
 * file, syntax error, a shape that cannot be edited) fails the task with the
 * file byte for byte as it was. Then the same through the CLI as a child
 * process, in a temporary repository with a Jest config and a workflow.
 */
import fs from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskContext } from '../../src/engine/handler.js';
import { UserError } from '../../src/errors.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { hashTree, jsonEvents, makeRepo, runCli as runPlanCli } from '../../test/helpers/plans.js';
import { runConfigEdit } from './run.js';
import type { ConfigEditTaskFields } from './schema.js';

let root: string;

beforeEach(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'orchestrate-config-edit-')));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function put(relative: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
  await writeFile(path.join(root, relative), text);
}
const read = (relative: string) => readFile(path.join(root, relative), 'utf8');

/** Run one task through a real workspace view and commit it, as the engine does. */
async function run(fields: ConfigEditTaskFields, options: { dryRun?: boolean } = {}) {
  const workspace = await Workspace.open(root, { dryRun: options.dryRun ?? false });
  const view = workspace.view();
  const logged: string[] = [];
  const ctx: TaskContext = {
    root,
    task: { id: '1.2', name: 'Expand coverage' },
    project: { name: 'shop' },
    templates: { plan: undefined, repository: path.join(root, '.orchestrate', 'templates'), builtIn: path.join(root, 'none') },
    workspace: view,
    variables: {},
    signal: new AbortController().signal,
    log: (line) => logged.push(line),
    progress: () => undefined,
    keep: async () => [],
    prompt: undefined,
    dryRun: options.dryRun ?? false,
    attempt: 1,
  };
  const outcome = await runConfigEdit({ id: '1.2', type: 'config_edit', ...fields }, ctx);
  await view.commit();
  return { outcome, changes: workspace.changes(), logged };
}

async function failure(promise: Promise<unknown>): Promise<UserError> {
  const error: unknown = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

const JEST = "module.exports = {\n  testEnvironment: 'node',\n  coverageThreshold: { global: { lines: 90 } },\n};\n";
const EXPAND: ConfigEditTaskFields = { action: 'expand_coverage_collection', file: 'jest.config.js', params: { include: ['src/**/*.ts'], reporters: ['lcov'] } };
const THRESHOLDS: ConfigEditTaskFields = { action: 'add_directory_thresholds', file: 'jest.config.js', params: { thresholds: { global: { lines: 80 }, './src/services/': { lines: 85 } } } };

describe('runConfigEdit', () => {
  it('writes the edit, then finds it in place', async () => {
    await put('jest.config.js', JEST);
    const first = await run(EXPAND);
    expect(first.outcome).toEqual({
      status: 'changed',
      summary: "jest.config.js: collectCoverageFrom gains 1 pattern; coverageReporters gains lcov (coverageReporters was not set: kept Jest's default reporters (clover, json, lcov, text) beside the new ones)",
      files: ['jest.config.js'],
    });
    expect(await read('jest.config.js')).toBe(
      "module.exports = {\n  testEnvironment: 'node',\n  coverageThreshold: { global: { lines: 90 } },\n  collectCoverageFrom: ['src/**/*.ts'],\n  coverageReporters: ['clover', 'json', 'lcov', 'text'],\n};\n",
    );
    const second = await run(EXPAND);
    expect(second.outcome).toEqual({ status: 'unchanged', summary: 'jest.config.js: expand coverage collection is already in place', files: [] });
  });

  it('keeps a higher threshold, logs why, splits a line grown too long, and keeps CRLF line endings', async () => {
    await put('jest.config.js', JEST.replace(/\n/g, '\r\n'));
    const { outcome, logged } = await run(THRESHOLDS);
    expect(outcome.status).toBe('changed');
    expect(logged).toEqual(['note: global lines: kept 90, higher than the 80 asked for']);
    expect(await read('jest.config.js')).toBe(
      "module.exports = {\r\n  testEnvironment: 'node',\r\n  coverageThreshold: {\r\n    global: { lines: 90 },\r\n    './src/services/': {\r\n      lines: 85,\r\n    },\r\n  },\r\n};\r\n",
    );
  });

  it('only stages the change in a dry run, with the diff in the workspace', async () => {
    await put('jest.config.js', JEST);
    const { outcome, changes } = await run(EXPAND, { dryRun: true });
    expect(outcome.status).toBe('changed');
    expect(await read('jest.config.js')).toBe(JEST);
    expect(changes.map((c) => c.path)).toEqual(['jest.config.js']);
    expect(changes[0]!.after).toContain("  collectCoverageFrom: ['src/**/*.ts'],\n");
  });

  it('edits the jest key of package.json and skips one without it', async () => {
    await put('package.json', '{\n  "name": "shop",\n  "jest": {}\n}\n');
    const { outcome } = await run({ ...THRESHOLDS, file: 'package.json' });
    expect(outcome.status).toBe('changed');
    expect(JSON.parse(await read('package.json'))).toEqual({ name: 'shop', jest: { coverageThreshold: { global: { lines: 80 }, './src/services/': { lines: 85 } } } });

    await put('package.json', '{ "name": "shop" }\n');
    expect((await run({ ...THRESHOLDS, file: 'package.json' })).outcome).toEqual({
      status: 'skipped',
      summary: 'not applicable: package.json has no `jest` key (the Jest config is elsewhere, e.g. jest.config.js)',
      files: [],
    });
  });

  it('fails on a missing file, naming it, without retrying', async () => {
    const error = await failure(run(EXPAND));
    expect(error.message).toBe('jest.config.js does not exist, so expand_coverage_collection cannot edit it');
    expect(error.retryable).toBe(false);
    expect(error.hint).toMatch(/file:/);
  });

  it('fails on a syntax error at file:line:col and leaves the file untouched', async () => {
    const broken = "module.exports = {\n  testEnvironment: 'node'\n  verbose: true,\n};\n";
    await put('jest.config.js', broken);
    const error = await failure(run(EXPAND));
    expect(error.message).toBe("jest.config.js:3:3: ',' expected.");
    expect(await read('jest.config.js')).toBe(broken);
  });

  it('refuses a config of another shape with the hand patch, and leaves it untouched', async () => {
    const wrapped = "const nextJest = require('next/jest');\nmodule.exports = nextJest({ dir: './' })({ testEnvironment: 'jsdom' });\n";
    await put('jest.config.js', wrapped);
    const error = await failure(run(THRESHOLDS));
    expect(error.message).toContain('module.exports is assigned a function call `nextJest({ dir: \'./\' })(...)`');
    expect(error.hint).toContain("    coverageThreshold: {\n      global: {\n        lines: 80,\n      },\n      './src/services/': {\n        lines: 85,\n      },\n    },");
    expect(await read('jest.config.js')).toBe(wrapped);
  });

  it('refuses a path outside the target root', async () => {
    const error = await failure(run({ ...EXPAND, file: '../jest.config.js' }));
    expect(error.message).toMatch(/outside/);
  });
});

describe('config_edit through the CLI', () => {
  const WORKFLOW = [
    'name: CI',
    'on: [push]',
    'jobs:',
    '  lint:',
    '    runs-on: ubuntu-latest',
    '    continue-on-error: true',
    '    steps:',
    '      - run: npm run lint',
    '  test:',
    '    runs-on: ubuntu-latest',
    "    continue-on-error: true # flaky, see the 'retry' label",
    '    steps:',
    '      - run: npm test',
    '',
  ].join('\n');
  const plan = {
    phases: [
      {
        id: '1',
        name: 'CI blockers',
        groups: [
          {
            id: 'a',
            tasks: [
              { id: '1.1', type: 'config_edit', action: 'remove_continue_on_error', file: '.github/workflows/ci.yml', params: { jobs: ['lint', 'test'] } },
              { id: '1.2', type: 'config_edit', ...EXPAND },
            ],
          },
        ],
      },
    ],
  };

  it('shows the diff in a dry run and writes nothing, writes on a run, and is unchanged when forced again', async () => {
    const repo = makeRepo(plan, { 'jest.config.js': JEST, '.github/workflows/ci.yml': WORKFLOW });
    const before = hashTree(repo.dir);

    const dry = await runPlanCli(repo, ['run', '--all', '--dry-run']);
    expect(dry.code, dry.stderr + dry.stdout).toBe(0);
    expect(dry.stdout).toMatch(/\+\+\+ .*jest\.config\.js/);
    expect(dry.stdout).toContain("+  collectCoverageFrom: ['src/**/*.ts'],");
    expect(dry.stdout).toMatch(/\+\+\+ .*\.github\/workflows\/ci\.yml/);
    expect(dry.stdout).toContain('-    continue-on-error: true');
    expect(hashTree(repo.dir)).toEqual(before);

    const real = await runPlanCli(repo, ['run', '--all', '--reporter', 'json']);
    expect(real.code, real.stderr).toBe(0);
    const finished = jsonEvents(real.stdout).filter((e) => e.type === 'task:finish');
    expect(finished.map((e) => [e.taskId, e.status])).toEqual([
      ['1.1', 'changed'],
      ['1.2', 'changed'],
    ]);
    expect(fs.readFileSync(path.join(repo.dir, 'jest.config.js'), 'utf8')).toContain("  collectCoverageFrom: ['src/**/*.ts'],\n");
    const workflow = fs.readFileSync(path.join(repo.dir, '.github/workflows/ci.yml'), 'utf8');
    expect(workflow).not.toMatch(/continue-on-error: true/);
    // Every other line of the workflow is as it was.
    expect(workflow.split('\n').filter((l) => !l.includes('continue-on-error'))).toEqual(WORKFLOW.split('\n').filter((l) => !l.includes('continue-on-error')));

    const again = await runPlanCli(repo, ['run', '--all', '--force', '--reporter', 'json']);
    expect(again.code, again.stderr).toBe(0);
    const second = jsonEvents(again.stdout).filter((e) => e.type === 'task:finish');
    expect(second.map((e) => [e.taskId, e.status])).toEqual([
      ['1.1', 'unchanged'],
      ['1.2', 'unchanged'],
    ]);
  });

  it('fails each task on bad input, says where, and leaves every file as it was', async () => {
    const broken = "module.exports = {\n  testEnvironment: 'node'\n  verbose: true,\n};\n";
    const task = (id: string, fields: Record<string, unknown>) => ({ id, type: 'config_edit', continue_on_error: true, ...fields });
    const repo = makeRepo(
      {
        phases: [
          {
            id: '1',
            name: 'bad input',
            groups: [
              {
                id: 'a',
                execution: 'parallel',
                tasks: [
                  task('1.1', { ...EXPAND, file: 'missing.config.js' }),
                  task('1.2', { ...EXPAND, file: 'jest.config.js' }),
                  task('1.3', { action: 'yaml_set', file: '.github/workflows/ci.yml', params: { path: 'jobs.*.steps[name=Deploy].timeout-minutes', value: 10 } }),
                  task('1.4', { action: 'yaml_set', file: '.github/workflows/ci.yml', params: { path: 'jobs.*.timeout-minutes', value: 10 } }),
                  task('1.5', { action: 'json_set', file: 'package.json', params: { path: 'jest.projects[displayName=web].testEnvironment', value: 'jsdom' } }),
                ],
              },
            ],
          },
        ],
      },
      { 'jest.config.js': broken, '.github/workflows/ci.yml': WORKFLOW, 'package.json': '{\n  "name": "shop",\n  "jest": { "preset": "ts-jest" }\n}\n' },
    );
    const before = hashTree(repo.dir);
    const result = await runPlanCli(repo, ['run', '--all', '--reporter', 'json']);
    const errors = Object.fromEntries(
      jsonEvents(result.stdout)
        .filter((e) => e.type === 'task:finish')
        .map((e) => [e.taskId, `${String(e.status)}: ${String(e.error)}`]),
    );
    expect(errors['1.1']).toMatch(/^failed: missing\.config\.js does not exist, so expand_coverage_collection cannot edit it/);
    expect(errors['1.2']).toMatch(/^failed: jest\.config\.js:3:3: ',' expected/);
    expect(errors['1.3']).toBe(
      'failed: .github/workflows/ci.yml: selector "jobs.*.steps[name=Deploy].timeout-minutes" matches nothing: jobs.lint.steps has no item whose name is equal to "Deploy"\nhint: Check the path against .github/workflows/ci.yml; keys are case-sensitive.',
    );
    expect(errors['1.4']).toMatch(
      /^failed: \.github\/workflows\/ci\.yml: selector "jobs\.\*\.timeout-minutes" matches 2 places where one is expected: jobs\.lint\.timeout-minutes, jobs\.test\.timeout-minutes\nhint: /,
    );
    expect(errors['1.5']).toMatch(/^failed: package\.json: selector "jest\.projects\[displayName=web\]\.testEnvironment" matches nothing: jest has no key "projects"/);
    const after = hashTree(repo.dir);
    for (const file of ['jest.config.js', '.github/workflows/ci.yml', 'package.json']) expect(after[file], file).toBe(before[file]);
  });
});
