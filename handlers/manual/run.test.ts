import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PromptAnswer, PromptRequest, TaskContext } from '../../src/engine/handler.js';
import { ExitCode, UserError } from '../../src/errors.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { runManualTask } from './run.js';
import type { ManualTaskFields } from './schema.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'orchestrate-manual-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A context whose prompt records what it was asked and answers as told. */
async function context(answer: PromptAnswer | undefined, overrides: Partial<TaskContext> = {}) {
  const asked: PromptRequest[] = [];
  const lines: string[] = [];
  const ctx: TaskContext = {
    root,
    task: { id: '1.4', name: 'test task' },
    project: { name: 'test' },
    templates: { plan: undefined, repository: join(root, '.orchestrate', 'templates'), builtIn: join(root, 'no-templates') },
    workspace: (await Workspace.open(root, { dryRun: false })).view(),
    variables: { branch: 'main', reviewers: 2 },
    signal: new AbortController().signal,
    log: (line) => lines.push(line),
    progress: () => undefined,
    keep: async () => [],
    prompt:
      answer === undefined
        ? undefined
        : async (request) => {
            asked.push(request);
            return answer;
          },
    dryRun: false,
    attempt: 1,
    ...overrides,
  };
  return { ctx, asked, lines };
}

const task = (fields: Partial<ManualTaskFields> = {}) => ({
  id: '1.3',
  type: 'manual',
  name: 'Protect main',
  instructions: 'Enable branch protection on {{ branch }}.\nRequire {{reviewers}} reviews; keep {{ default unknown "it" }}.',
  ...fields,
});

describe('runManualTask', () => {
  it('settles without asking when verify passes', async () => {
    const { ctx, asked } = await context('skip');
    const outcome = await runManualTask(task({ verify: ['sh', '-c', 'exit 0'] }), ctx);
    expect(outcome).toEqual({ status: 'changed', summary: 'verified by sh -c \'exit 0\'', files: [] });
    expect(asked).toEqual([]);
  });

  it('asks when verify fails, and waits for a person when nobody can answer', async () => {
    const { ctx, lines } = await context(undefined);
    const outcome = await runManualTask(task({ verify: 'sh -c "exit 1"' }), ctx);
    expect(outcome).toEqual({
      status: 'awaiting',
      summary: 'awaiting a person: Enable branch protection on main.',
      files: [],
    });
    expect(lines.join('\n')).toMatch(/not verified/);
  });

  it('does not run verify or ask in a dry run', async () => {
    const { ctx, asked } = await context('done', { dryRun: true });
    const outcome = await runManualTask(task({ verify: 'touch verified.txt' }), ctx);
    expect(outcome.status).toBe('skipped');
    expect(outcome.summary).toBe('would ask a person: Enable branch protection on main.');
    expect(asked).toEqual([]);
    await expect(access(join(root, 'verified.txt'))).rejects.toThrow();
  });

  it('asks the person with variables rendered', async () => {
    const { ctx, asked } = await context('done');
    const outcome = await runManualTask(task({ checklist: ['Protect {{branch}}', 'Require CI'] }), ctx);
    expect(outcome).toEqual({ status: 'changed', summary: 'done by a person', files: [] });
    // The question carries the run's signal too, so that stopping the run withdraws it.
    expect(asked).toEqual([
      {
        taskId: '1.3',
        title: 'Protect main',
        instructions: 'Enable branch protection on main.\nRequire 2 reviews; keep it.',
        checklist: ['Protect main', 'Require CI'],
        signal: expect.any(AbortSignal),
      },
    ]);
  });

  it('records a skip', async () => {
    const outcome = await runManualTask(task(), (await context('skip')).ctx);
    expect(outcome).toEqual({ status: 'skipped', summary: 'skipped by a person', files: [] });
  });

  it('stops the run on abort', async () => {
    const error: unknown = await runManualTask(task(), (await context('abort')).ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe('aborted at manual task 1.3');
    expect((error as UserError).exitCode).toBe(ExitCode.interrupted);
  });
});

describe('runManualTask rendering', () => {
  it('renders checklist items with the built-in variables', async () => {
    const { ctx, asked } = await context('done');
    await runManualTask(task({ instructions: 'Tell {{project_name}}', checklist: ['{{task_id}}: {{package_manager}}'] }), ctx);
    expect(asked[0]?.instructions).toBe('Tell test');
    expect(asked[0]?.checklist).toEqual(['1.4: npm']);
  });

  it('fails the task, naming the variable, when the instructions use an undefined one', async () => {
    const { ctx, asked } = await context('done');
    const error: unknown = await runManualTask(task({ instructions: 'Protect\n{{ brnch }}' }), ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe('template manual task 1.3: line 2, column 4: "brnch" is not defined');
    expect((error as UserError).retryable).toBe(false);
    expect(asked).toEqual([]);
  });
});
