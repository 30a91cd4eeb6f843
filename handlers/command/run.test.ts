import { access, mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, normalize } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskContext } from '../../src/engine/handler.js';
import type { WorkspaceView } from '../../src/workspace/types.js';
import { ExitCode, UserError } from '../../src/errors.js';
import { runCommandTask } from './run.js';
import type { CommandTaskFields } from './schema.js';
import { isAlive } from '../../test/helpers/processes.js';

let root: string;
beforeEach(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), 'orchestrate-command-')));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Only what the handler uses; the real Workspace lives in src/workspace/. */
function fakeWorkspace(base: string): WorkspaceView {
  return {
    root: base,
    resolve: (path) => {
      const clean = normalize(path);
      if (isAbsolute(clean) || clean === '..' || clean.startsWith('../')) {
        throw new UserError(`path outside the target root: ${path}`);
      }
      return join(base, clean);
    },
  } as WorkspaceView;
}

function context(overrides: Partial<TaskContext> = {}): TaskContext & { lines: string[] } {
  const lines: string[] = [];
  return {
    root,
    workspace: fakeWorkspace(root),
    task: { id: '1.4', name: 'test task' },
    project: { name: 'test' },
    templates: { plan: undefined, repository: join(root, '.orchestrate', 'templates'), builtIn: join(root, 'no-templates') },
    variables: {},
    signal: new AbortController().signal,
    log: (line) => lines.push(line),
    progress: () => undefined,
    keep: async () => [],
    prompt: undefined,
    dryRun: false,
    attempt: 1,
    ...overrides,
    lines,
  };
}

const task = (fields: CommandTaskFields) => ({ id: '1.4', type: 'command', ...fields });

async function failure(promise: Promise<unknown>): Promise<UserError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}


describe('runCommandTask', () => {
  it('runs the program in the target root and logs each line', async () => {
    const ctx = context();
    const outcome = await runCommandTask(task({ run: ['node', '-e', 'console.log(process.cwd()); console.error("warn")'] }), ctx);
    expect(outcome.status).toBe('changed');
    expect(outcome.summary).toMatch(/^exit 0 in \d/);
    expect(outcome.files).toEqual([]);
    expect(ctx.lines).toEqual(expect.arrayContaining([root, 'warn']));
  });

  it('runs in cwd inside the root, with extra env', async () => {
    await mkdir(join(root, 'pkg'));
    const ctx = context();
    await runCommandTask(task({ run: 'echo "$PWD $FLAVOUR"', shell: true, cwd: 'pkg', env: { FLAVOUR: 'mint' } }), ctx);
    expect(ctx.lines).toEqual([`${join(root, 'pkg')} mint`]);
  });

  it('refuses a cwd outside the root', async () => {
    await expect(runCommandTask(task({ run: ['true'], cwd: '../elsewhere' }), context())).rejects.toThrow(/outside/);
  });

  it('fails with the exit code and the last lines of output', async () => {
    const script = 'for i in $(seq 1 30); do echo "line $i"; done; exit 2';
    const error = await failure(runCommandTask(task({ run: script, shell: true }), context()));
    expect(error.exitCode).toBe(ExitCode.failed);
    expect(error.message).toMatch(/exit code 2/);
    expect(error.message).toContain('line 30');
    expect(error.message).not.toContain('line 5\n');
    expect(error.message.split('\n').length).toBeLessThanOrEqual(21);
  });

  it('accepts the exit codes the task lists', async () => {
    const outcome = await runCommandTask(task({ run: ['sh', '-c', 'exit 3'], exit_codes: [0, 3] }), context());
    expect(outcome).toMatchObject({ status: 'changed', summary: expect.stringMatching(/^exit 3 in /) });
  });

  it('says so when the program does not exist', async () => {
    const error = await failure(runCommandTask(task({ run: 'no-such-program-orchestrate --fix' }), context()));
    expect(error.message).toMatch(/command not found: no-such-program-orchestrate/);
    expect(error.hint).toMatch(/PATH/);
  });

  it('does not run in a dry run', async () => {
    const outcome = await runCommandTask(task({ run: 'touch created.txt' }), context({ dryRun: true }));
    expect(outcome).toEqual({ status: 'skipped', summary: 'would run: touch created.txt', files: [] });
    await expect(access(join(root, 'created.txt'))).rejects.toThrow();
  });

  it('ends the whole process group when cancelled', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const ctx = context({
      signal: controller.signal,
      log: (line) => {
        lines.push(line);
        controller.abort(new Error('timed out'));
      },
    });
    const run = runCommandTask(task({ run: 'sleep 40 & echo $!; sleep 40; wait', shell: true, kill_grace: 1000 }), ctx);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    const grandchild = Number(lines[0]);
    expect(grandchild).toBeGreaterThan(0);
    const deadline = Date.now() + 10_000;
    while ((await isAlive(grandchild)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await isAlive(grandchild)).toBe(false);
  }, 15_000);
});
