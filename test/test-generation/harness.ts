/**
 * Shared set-up of the test_generation tests: a target project in a temp
 * directory under node_modules/.cache (so `vitest`, `fastify` and the
 * packages installed there resolve from it, as in a real repository), and a
 * runner that carries out one task through a real workspace view.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import type { TaskContext, TaskOutcome } from '../../src/engine/handler.js';
import { UserError } from '../../src/errors.js';
import type { FileChange } from '../../src/workspace/types.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { runTestGeneration } from '../../handlers/test-generation/run.js';
import type { TestGenerationTaskFields } from '../../handlers/test-generation/schema.js';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const cacheDir = path.join(repoRoot, 'node_modules', '.cache', 'orchestrate-test-generation');

/** A fresh project directory holding `files`; remove it with `cleanup()`. */
export function makeProject(files: Record<string, string>, parent: string = cacheDir): { root: string; cleanup: () => void } {
  mkdirSync(parent, { recursive: true });
  const root = mkdtempSync(path.join(parent, 'project-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export interface Ran {
  outcome: TaskOutcome;
  changes: FileChange[];
  logs: string[];
}

/** Run one test_generation task through a real workspace and commit it, as the engine does. */
export async function runTask(root: string, fields: Partial<TestGenerationTaskFields>, options: { dryRun?: boolean } = {}): Promise<Ran> {
  const workspace = await Workspace.open(root, { dryRun: options.dryRun ?? false });
  const view = workspace.view();
  const logs: string[] = [];
  const ctx: TaskContext = {
    root: workspace.root,
    task: { id: '2.1', name: 'generate tests' },
    project: { name: 'sample' },
    templates: { plan: undefined, repository: path.join(root, '.orchestrate', 'templates'), builtIn: path.join(root, 'none') },
    workspace: view,
    variables: {},
    signal: new AbortController().signal,
    log: (line) => logs.push(line),
    progress: () => undefined,
    keep: async (paths) => (options.dryRun ? [] : (await view.commitPartial(paths)).map((change) => change.path)),
    prompt: undefined,
    dryRun: options.dryRun ?? false,
    attempt: 1,
  };
  const outcome = await runTestGeneration({ id: '2.1', type: 'test_generation', ...fields } as Parameters<typeof runTestGeneration>[0], ctx);
  await view.commit();
  return { outcome, changes: workspace.changes(), logs };
}

/** The UserError a promise rejects with. */
export async function failure(promise: Promise<unknown>): Promise<UserError> {
  const error: unknown = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

export const read = (root: string, relative: string) => readFile(path.join(root, relative), 'utf8');

/**
 * Install `packages` (name -> version prefix) from the npm registry into
 * `<cacheDir>/<folder>` once; later runs find them there. Test files running
 * at the same time take turns through a lock on the folder. Returns the folder.
 */
export async function installPackages(folder: string, packages: Record<string, string>): Promise<string> {
  const dir = path.join(cacheDir, folder);
  mkdirSync(dir, { recursive: true });
  const { lock } = await import('proper-lockfile');
  const release = await lock(dir, { retries: { retries: 300, minTimeout: 500, maxTimeout: 1000 }, stale: 600_000 });
  try {
    const missing = Object.entries(packages).filter(([name, version]) => {
      const manifest = path.join(dir, 'node_modules', name, 'package.json');
      return !existsSync(manifest) || !(JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version.startsWith(version);
    });
    if (missing.length > 0) {
      writeFileSync(path.join(dir, 'package.json'), `{ "name": "orchestrate-test-${folder}", "private": true }\n`);
      execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', ...Object.entries(packages).map(([n, v]) => `${n}@${v}`)], {
        cwd: dir,
        stdio: 'pipe',
        timeout: 300_000,
      });
    }
  } finally {
    await release();
  }
  return dir;
}
