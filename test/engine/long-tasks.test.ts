/**
 * Long tasks through the real executor and workspace: progress reported per
 * unit of work, files kept mid-task (`ctx.keep`) that stay when the task then
 * fails or times out, a rerun that resumes from them, and detail lines on
 * the finish event. The handler is a small stand-in under the
 * test_generation type (test/fixtures/handlers/sourcewise.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInRegistry } from '../../handlers/built-in.js';
import type { EngineEvent, EventOf } from '../../src/engine/events.js';
import { execute, type ExecuteOptions } from '../../src/engine/executor.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import { selectWork } from '../../src/plan/selection.js';
import { reduce, emptySnapshot } from '../../src/state/snapshot.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { generatedText, sourcewiseHandler } from '../fixtures/handlers/sourcewise.js';
import { makeRepo, type PlanInput, type Repo } from '../helpers/plans.js';

const builtIns = builtInRegistry();
const handlerFor = (type: string) => builtIns.handlerFor(type);

const SOURCES = ['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/d.ts'];

function planWith(task: Record<string, unknown>): PlanInput {
  return {
    phases: [{ id: '1', name: 'one', groups: [{ id: 'a', tasks: [{ id: '1.1', name: 'gen', type: 'test_generation', targets: SOURCES, retries: 0, ...task }] }] }],
  };
}

async function run(repo: Repo, options: Partial<ExecuteOptions> & { dryRun?: boolean } = {}) {
  const { plan } = await loadPlan({ config: repo.planFile, processCwd: repo.dir }, builtInRegistry());
  const events: EngineEvent[] = [];
  const dryRun = options.dryRun ?? false;
  const result = await execute(plan, selectWork(plan, { all: true }, () => false), {
    runId: `run-${Math.random()}`,
    dryRun,
    workspace: await Workspace.open(repo.dir, { dryRun }),
    handlerFor: (type) => (type === 'test_generation' ? sourcewiseHandler : handlerFor(type)),
    emit: (event) => events.push(event),
    signal: new AbortController().signal,
    planFile: repo.planFile,
    ...options,
  });
  const of = <T extends EngineEvent['type']>(type: T) => events.filter((e): e is EventOf<T> => e.type === type);
  return { result, events, of };
}

const generated = (repo: Repo) => SOURCES.filter((s) => fs.existsSync(path.join(repo.dir, `${s}.gen`)));

describe('a workspace view that keeps part of its changes', () => {
  it('writes the kept files at once, goes on from them, and commits the rest at the end', async () => {
    const repo = makeRepo(planWith({}), { 'a.txt': 'a0\n' });
    const workspace = await Workspace.open(repo.dir, { dryRun: false });
    const view = workspace.view();
    await view.write('a.txt', 'a1\n');
    await view.write('b.txt', 'b1\n');
    expect((await view.commitPartial(['a.txt'])).map((c) => c.path)).toEqual(['a.txt']);
    expect(fs.readFileSync(path.join(repo.dir, 'a.txt'), 'utf8')).toBe('a1\n');
    expect(fs.existsSync(path.join(repo.dir, 'b.txt'))).toBe(false);
    expect(view.changes().map((c) => c.path)).toEqual(['b.txt']);

    await view.write('a.txt', 'a2\n');
    const rest = await view.commit();
    expect(rest.map((c) => [c.path, c.before, c.after])).toEqual([['a.txt', 'a1\n', 'a2\n'], ['b.txt', undefined, 'b1\n']]);
    expect(fs.readFileSync(path.join(repo.dir, 'a.txt'), 'utf8')).toBe('a2\n');
    // The run's diff runs from the start of the run to the end.
    expect(workspace.changes().map((c) => [c.path, c.before, c.after])).toEqual([['a.txt', 'a0\n', 'a2\n'], ['b.txt', undefined, 'b1\n']]);
  });

  it('refuses to keep a file another task changed since this one read it', async () => {
    const repo = makeRepo(planWith({}), { 'a.txt': 'a0\n' });
    const workspace = await Workspace.open(repo.dir, { dryRun: false });
    const mine = workspace.view();
    const other = workspace.view();
    await mine.write('a.txt', 'mine\n');
    await other.write('a.txt', 'other\n');
    await other.commit();
    await expect(mine.commitPartial()).rejects.toThrow(/"a.txt" was changed by another task/);
    expect(fs.readFileSync(path.join(repo.dir, 'a.txt'), 'utf8')).toBe('other\n');
  });
});

describe('a long task', () => {
  it('reports progress once per source, in order, with its unit and the source', async () => {
    const repo = makeRepo(planWith({}));
    const { of } = await run(repo);
    expect(of('task:progress').map((e) => ({ taskId: e.taskId, done: e.done, total: e.total, unit: e.unit, current: e.current }))).toEqual(
      SOURCES.map((current, i) => ({ taskId: '1.1', done: i + 1, total: 4, unit: 'sources', current })),
    );
    const [finish] = of('task:finish');
    expect(finish).toMatchObject({ status: 'changed', summary: 'wrote 4 of 4 files' });
    expect(finish?.details).toEqual(SOURCES.map((s) => `${s}: written`));
    expect(finish?.files.toSorted()).toEqual(SOURCES.map((s) => `${s}.gen`));
  });

  it('keeps what it finished when it fails half-way, and the rerun resumes from there', async () => {
    const repo = makeRepo(planWith({ variables: { fail_after: 2 } }));
    const first = await run(repo);
    expect(first.of('task:finish')).toMatchObject([{ status: 'failed', files: ['src/a.ts.gen', 'src/b.ts.gen'] }]);
    expect(first.of('task:keep').map((e) => e.files)).toEqual([['src/a.ts.gen'], ['src/b.ts.gen']]);
    expect(generated(repo)).toEqual(['src/a.ts', 'src/b.ts']);
    expect(fs.readFileSync(path.join(repo.dir, 'src/a.ts.gen'), 'utf8')).toBe(generatedText('src/a.ts'));
    // The run's diff holds the kept files too.
    expect(first.result.changes.map((c) => c.path)).toEqual(['src/a.ts.gen', 'src/b.ts.gen']);

    const second = await run(repo, { force: true, sleep: async () => undefined });
    const [finish] = second.of('task:finish');
    expect(finish?.details).toEqual(['src/a.ts: already complete', 'src/b.ts: already complete', 'src/c.ts: written', 'src/d.ts: written']);
    expect(generated(repo)).toEqual(SOURCES);
  });

  it('keeps what it finished before a timeout', async () => {
    const repo = makeRepo(planWith({ timeout: '1s', variables: { delay_ms: 400 } }));
    const { of } = await run(repo);
    const [finish] = of('task:finish');
    expect(finish).toMatchObject({ status: 'failed', error: expect.stringMatching(/^timed out after/) });
    expect(finish?.files.length).toBeGreaterThanOrEqual(1);
    expect(finish?.files.length).toBeLessThan(4);
    expect(generated(repo).map((s) => `${s}.gen`)).toEqual(finish?.files);
  });

  it('writes nothing before the end in a dry run, and shows every file in the diff', async () => {
    const repo = makeRepo(planWith({ variables: { fail_after: 2 } }));
    const failed = await run(repo, { dryRun: true });
    expect(failed.of('task:keep')).toEqual([]);
    expect(failed.of('task:finish')).toMatchObject([{ status: 'failed', files: [] }]);
    expect(generated(repo)).toEqual([]);

    const repo2 = makeRepo(planWith({}));
    const whole = await run(repo2, { dryRun: true });
    expect(generated(repo2)).toEqual([]);
    expect(whole.of('task:diff').map((e) => e.path)).toEqual(SOURCES.map((s) => `${s}.gen`));
  });

  it('leaves the kept files in the state as the task’s, through a failure and into the run that finishes it', async () => {
    const repo = makeRepo(planWith({ variables: { fail_after: 2 } }));
    const first = await run(repo, { runId: 'r1' });
    let snapshot = first.events.reduce(reduce, emptySnapshot());
    expect(snapshot.tasks['1.1']).toMatchObject({ status: 'failed', files: ['src/a.ts.gen', 'src/b.ts.gen'] });

    // A run killed after its first keep: the log ends there, and the task still owns the file.
    const killed = first.events.slice(0, first.events.findIndex((e) => e.type === 'task:keep') + 1);
    const afterKill = killed.reduce(reduce, emptySnapshot());
    expect(afterKill.tasks['1.1']?.files).toEqual(['src/a.ts.gen']);

    fs.writeFileSync(repo.planFile, fs.readFileSync(repo.planFile, 'utf8').replace('"fail_after": 2', '"fail_after": 99'));
    const second = await run(repo, { runId: 'r2', force: true });
    snapshot = second.events.reduce(reduce, snapshot);
    expect(snapshot.tasks['1.1']).toMatchObject({ status: 'done', details: expect.arrayContaining(['src/a.ts: already complete']) });
    expect(snapshot.tasks['1.1']?.files.toSorted()).toEqual(SOURCES.map((s) => `${s}.gen`));
  });
});
