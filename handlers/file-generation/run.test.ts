import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskContext } from '../../src/engine/handler.js';
import { UserError } from '../../src/errors.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { runFileGeneration } from './run.js';
import type { FileGenerationTaskFields } from './schema.js';

let base: string;
let root: string;
let templatesDir: string;

beforeEach(async () => {
  base = await realpath(await mkdtemp(path.join(tmpdir(), 'orchestrate-filegen-')));
  root = path.join(base, 'target');
  templatesDir = path.join(base, 'templates');
  await mkdir(root, { recursive: true });
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function put(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

/** Run one task through a real workspace view and commit it, as the engine does. */
async function run(fields: Partial<FileGenerationTaskFields>, options: { dryRun?: boolean; variables?: Record<string, unknown> } = {}) {
  const workspace = await Workspace.open(root, { dryRun: options.dryRun ?? false });
  const view = workspace.view();
  const ctx: TaskContext = {
    root,
    task: { id: '2.1', name: 'Add fixtures' },
    project: { name: 'shop' },
    templates: { plan: templatesDir, repository: path.join(root, '.orchestrate', 'templates'), builtIn: path.join(base, 'none') },
    workspace: view,
    variables: options.variables ?? { model: 'user-account' },
    signal: new AbortController().signal,
    log: () => undefined,
    progress: () => undefined,
    keep: async () => [],
    prompt: undefined,
    dryRun: options.dryRun ?? false,
    attempt: 1,
  };
  const task = { id: '2.1', type: 'file_generation', template: 'fixtures/users', target: 'test/fixtures/users.ts', ...fields };
  const outcome = await runFileGeneration(task, ctx);
  await view.commit();
  return { outcome, changes: workspace.changes() };
}

async function failure(promise: Promise<unknown>): Promise<UserError> {
  const error: unknown = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

const read = (relative: string) => readFile(path.join(root, relative), 'utf8');
const USERS = "export const {{camelCase model}} = { name: 'ada', project: '{{project_name}}', runner: '{{test_framework}}' }\n";

describe('runFileGeneration', () => {
  it('renders, formats with prettier and writes the target', async () => {
    await put(path.join(templatesDir, 'fixtures/users.ts.hbs'), USERS);
    await put(path.join(root, 'package.json'), '{"devDependencies":{"vitest":"4"}}');
    const { outcome } = await run({});
    expect(outcome).toEqual({
      status: 'changed',
      summary: 'rendered fixtures/users to test/fixtures/users.ts',
      files: ['test/fixtures/users.ts'],
    });
    expect(await read('test/fixtures/users.ts')).toBe(
      'export const userAccount = { name: "ada", project: "shop", runner: "vitest" };\n',
    );
  });

  it('prints TypeScript exactly as prettier\'s typescript parser does', async () => {
    // Enums, parameter properties, decorators, assertions, overloads, generics and declarations.
    const source = [
      'enum Role { Admin = "admin", Member="member" }',
      'const enum Flag { A, B }',
      'export class Repo<T extends {id:string}> { constructor(private readonly db: Db, public name = "x") {} @cached() get(id: string): T|undefined { return <T>this.db.find(id)! } }',
      'export function pick(a: string): string; export function pick(a: number): number; export function pick(a: any) { return a satisfies unknown }',
      'declare module "x" { export const y: typeof import("z") }',
      'type Key = `user:${string}`; const f = <T,>(value: T): asserts value is NonNullable<T> => {}',
      'abstract class Base { abstract accessor size: number; protected static readonly all?: Map<string, Base[]> }',
      '',
    ].join('\n');
    await put(path.join(templatesDir, 'fixtures/users.ts.hbs'), source);
    await run({});
    const prettier = await import('prettier');
    const expected = await prettier.format(source, { parser: 'typescript', filepath: path.join(root, 'test/fixtures/users.ts') });
    expect(await read('test/fixtures/users.ts')).toBe(expected);
  });

  it("formats with the target's own prettier config", async () => {
    await put(path.join(templatesDir, 'fixtures/users.ts.hbs'), USERS);
    await put(path.join(root, '.prettierrc'), '{ "singleQuote": true, "semi": false }');
    await run({});
    expect(await read('test/fixtures/users.ts')).toBe(
      "export const userAccount = { name: 'ada', project: 'shop', runner: 'none' }\n",
    );
  });

  it("fails plainly when the target's prettier config is broken", async () => {
    await put(path.join(templatesDir, 'fixtures/users.ts.hbs'), USERS);
    await put(path.join(root, '.prettierrc'), '{ "singleQuote": ');
    expect((await failure(run({}))).message).toMatch(/^could not read the prettier config for .*users\.ts: /);
  });

  it('is unchanged when the target already holds the same content, and refuses to replace other content', async () => {
    await put(path.join(templatesDir, 'fixtures/users.ts.hbs'), USERS);
    await run({});
    expect((await run({})).outcome.status).toBe('unchanged');

    await put(path.join(root, 'test/fixtures/users.ts'), 'export const mine = 1;\n');
    const error = await failure(run({}));
    expect(error.message).toBe('test/fixtures/users.ts already exists and differs from what template fixtures/users renders');
    expect(error.hint).toMatch(/mode: overwrite.*mode: skip_if_exists/);
    expect(error.retryable).toBe(false);
    expect(await read('test/fixtures/users.ts')).toBe('export const mine = 1;\n');

    expect((await run({ mode: 'skip_if_exists' })).outcome.status).toBe('skipped');
    expect(await read('test/fixtures/users.ts')).toBe('export const mine = 1;\n');
    expect((await run({ mode: 'overwrite' })).outcome.status).toBe('changed');
    expect(await read('test/fixtures/users.ts')).toMatch(/userAccount/);
  });

  it('writes nothing in a dry run but records the change for the diff', async () => {
    await put(path.join(templatesDir, 'fixtures/users.ts.hbs'), USERS);
    const { outcome, changes } = await run({}, { dryRun: true });
    expect(outcome.status).toBe('changed');
    expect(changes).toEqual([{ path: 'test/fixtures/users.ts', before: undefined, after: expect.stringMatching(/userAccount/) }]);
    await expect(read('test/fixtures/users.ts')).rejects.toThrow();
  });

  it('fails with prettier\'s message when the template renders broken code, writing nothing', async () => {
    await put(path.join(templatesDir, 'fixtures/users.ts.hbs'), 'export const = {{model}} {\n');
    const error = await failure(run({}));
    expect(error.message).toMatch(/^template fixtures\/users rendered ts output that prettier could not parse it: /);
    expect(error.retryable).toBe(false);
    await expect(read('test/fixtures/users.ts')).rejects.toThrow();
  });

  it('checks YAML output parses', async () => {
    await put(path.join(templatesDir, 'ci.yml.hbs'), 'name: {{name}}\non: [push]\n');
    const good = await run({ template: 'ci', target: '.github/workflows/ci.yml' }, { variables: { name: 'CI' } });
    expect(good.outcome.status).toBe('changed');
    expect(await read('.github/workflows/ci.yml')).toBe('name: CI\non: [push]\n');

    const error = await failure(run({ template: 'ci', target: 'bad.yml' }, { variables: { name: '"a" b' } }));
    expect(error.message).toMatch(/^template ci rendered yml output that/);
  });

  it('leaves Python output as rendered', async () => {
    await put(path.join(templatesDir, 'conftest.py.hbs'), "x  =  '{{model}}'\n");
    await run({ template: 'conftest', target: 'conftest.py' });
    expect(await read('conftest.py')).toBe("x  =  'user-account'\n");
  });

  it('fails clearly on a missing variable, a missing template, a directory target and a path outside the root', async () => {
    await put(path.join(templatesDir, 'fixtures/users.ts.hbs'), 'export const n = {{count}};\n');
    expect((await failure(run({}))).message).toBe('template fixtures/users: line 1, column 20: "count" is not defined');

    const missing = await failure(run({ template: 'fixtures/user' }));
    expect(missing.message).toMatch(/^template fixtures\/user not found \(searched .*templates, /);
    expect(missing.hint).toMatch(/fixtures\/users/);

    await mkdir(path.join(root, 'test/fixtures/users.ts'), { recursive: true });
    expect((await failure(run({}))).message).toMatch(/"test\/fixtures\/users.ts" is a directory/);

    expect((await failure(run({ target: '../escape.ts' }))).message).toMatch(/escape\.ts/);
    await expect(readFile(path.join(base, 'escape.ts'))).rejects.toThrow();
  });
});
