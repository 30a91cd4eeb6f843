/**
 * The config_edit handler through a real workspace on real files: a change
 * is staged and written, a second run is unchanged, a dry run only shows the
 * diff, an action that does not apply skips the task, and bad input (missing
 * file, syntax error, a shape that cannot be edited) fails the task with the
 * file byte for byte as it was.
 */
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskContext } from '../../src/engine/handler.js';
import { UserError } from '../../src/errors.js';
import { Workspace } from '../../src/workspace/workspace.js';
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

  it('keeps a higher threshold, logs why, and keeps CRLF line endings', async () => {
    await put('jest.config.js', JEST.replace(/\n/g, '\r\n'));
    const { outcome, logged } = await run(THRESHOLDS);
    expect(outcome.status).toBe('changed');
    expect(logged).toEqual(['note: global lines: kept 90, higher than the 80 asked for']);
    expect(await read('jest.config.js')).toBe(
      "module.exports = {\r\n  testEnvironment: 'node',\r\n  coverageThreshold: { global: { lines: 90 }, './src/services/': { lines: 85 } },\r\n};\r\n",
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
