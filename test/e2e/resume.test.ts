/**
 * Resume: a finished task is not run again unless forced or its definition
 * changed, and `status` follows each step. Manual tasks in CI wait for a
 * person (exit 3) without holding up independent work, and `approve` / `skip`
 * settle them for the next run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashTree, makeRepo, runCli, shTask, statusJson, taskStatuses, writePlan, type PlanInput } from '../helpers/plans.js';

/** A task that counts its runs in runs/<id>. */
const counted = (id: string, extra = '') => shTask(id, `mkdir -p runs; echo ran >> runs/${id}${extra}`);

function runsOf(dir: string, id: string): number {
  const file = path.join(dir, 'runs', id);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
}

describe('resuming after a successful run', () => {
  const plan = (secondTask = counted('1.2')): PlanInput => ({
    phases: [
      { id: '1', name: 'one', groups: [{ id: 'a', execution: 'parallel', tasks: [counted('1.1'), secondTask] }] },
      { id: '2', name: 'two', groups: [{ id: 'a', tasks: [counted('2.1')] }] },
    ],
  });

  it('skips done tasks, reruns them with --force, and reruns only a task whose definition changed', async () => {
    const repo = makeRepo(plan());
    const ids = ['1.1', '1.2', '2.1'];
    const counts = () => ids.map((id) => runsOf(repo.dir, id));

    const first = await runCli(repo, ['run', '--all']);
    expect(first.code, first.stderr).toBe(0);
    expect(counts()).toEqual([1, 1, 1]);
    let status = await statusJson(repo);
    expect(taskStatuses(status)).toEqual({ '1.1': 'done', '1.2': 'done', '2.1': 'done' });
    expect(status).toMatchObject({ plan_changed: false, runs: 1, last_run: { status: 'done' } });

    const tree = hashTree(repo.dir);
    const again = await runCli(repo, ['run', '--all']);
    expect(again.code).toBe(0);
    for (const id of ids) expect(again.stdout).toMatch(new RegExp(`${id.replace('.', '\\.')} +done earlier: done in an earlier run`));
    expect(again.stdout).toMatch(/Tasks: 3 done earlier \(of 3\)/);
    expect(counts()).toEqual([1, 1, 1]);
    // Nothing of the target changed; only the state store recorded the run.
    const unchanged = (t: Record<string, string>) => Object.fromEntries(Object.entries(t).filter(([k]) => !k.startsWith('.orchestrate')));
    expect(unchanged(hashTree(repo.dir))).toEqual(unchanged(tree));

    const forced = await runCli(repo, ['run', '--all', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).not.toMatch(/done earlier/);
    expect(counts()).toEqual([2, 2, 2]);

    writePlan(repo, plan(counted('1.2', ' # v2')));
    status = await statusJson(repo);
    expect(status.plan_changed).toBe(true);
    expect(taskStatuses(status)).toEqual({ '1.1': 'done', '1.2': 'outdated', '2.1': 'done' });

    const edited = await runCli(repo, ['run', '--all']);
    expect(edited.code).toBe(0);
    expect(edited.stderr).toMatch(/note: .*phases\.yaml changed since the last run; tasks whose definition changed will run again/);
    expect(counts()).toEqual([2, 3, 2]);
    expect(edited.stdout).toMatch(/Tasks: 1 changed, 2 done earlier \(of 3\)/);
    status = await statusJson(repo);
    expect(status.plan_changed).toBe(false);
    expect(taskStatuses(status)).toEqual({ '1.1': 'done', '1.2': 'done', '2.1': 'done' });
  });
});

describe('manual tasks in CI', () => {
  const plan: PlanInput = {
    phases: [
      {
        id: '1',
        name: 'one',
        groups: [
          { id: 'a', tasks: [{ id: 'm1', type: 'manual', instructions: 'Enable branch protection on main.' }, counted('1.1')] },
          { id: 'b', depends_on: [], tasks: [counted('1.2')] },
        ],
      },
      { id: '2', name: 'two', groups: [{ id: 'a', tasks: [counted('2.1')] }] },
      { id: '3', name: 'aside', depends_on: [], groups: [{ id: 'a', tasks: [{ id: 'm3', type: 'manual', instructions: 'Tell the team.' }, counted('3.1')] }] },
    ],
  };

  it('await a person (exit 3) while independent work runs; approve and skip settle them for the next run', async () => {
    const repo = makeRepo(plan);
    const first = await runCli(repo, ['run', '--all']);
    expect(first.code, first.stderr).toBe(3);
    expect(first.stdout).toMatch(/Run stopped: manual steps await a person/);
    // Each suggestion keeps the --config and --cwd this run was given.
    expect(first.stdout).toMatch(/orchestrate approve m1 --config \S+ --cwd \S+ +\(or: orchestrate skip m1 --config \S+ --cwd \S+\)/);
    expect(runsOf(repo.dir, '1.2')).toBe(1);
    expect(runsOf(repo.dir, '1.1')).toBe(0);
    expect(runsOf(repo.dir, '2.1')).toBe(0);
    expect(taskStatuses(await statusJson(repo))).toEqual({ m1: 'awaiting', '1.1': 'pending', '1.2': 'done', '2.1': 'pending', m3: 'awaiting', '3.1': 'pending' });

    const approved = await runCli(repo, ['approve', 'm1']);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toMatch(/m1 .*approved by /);
    expect(taskStatuses(await statusJson(repo))).toMatchObject({ m1: 'done', m3: 'awaiting' });

    const second = await runCli(repo, ['run', '--all']);
    expect(second.code, second.stderr).toBe(3);
    expect(second.stdout).toMatch(/m1 +done earlier/);
    expect([runsOf(repo.dir, '1.1'), runsOf(repo.dir, '1.2'), runsOf(repo.dir, '2.1'), runsOf(repo.dir, '3.1')]).toEqual([1, 1, 1, 0]);

    const skipped = await runCli(repo, ['skip', 'm3', '--note', 'told them in person']);
    expect(skipped.code, skipped.stderr).toBe(0);
    const third = await runCli(repo, ['run', '--all']);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toMatch(/m3 +settled: skipped by a person/);
    expect(runsOf(repo.dir, '3.1')).toBe(1);
    const status = await statusJson(repo);
    expect(taskStatuses(status)).toEqual({ m1: 'done', '1.1': 'done', '1.2': 'done', '2.1': 'done', m3: 'skipped', '3.1': 'done' });
    expect(status.phases.map((p) => p.status)).toEqual(['done', 'done', 'done']);
  });

  it('settles a manual task approved before any run reached it', async () => {
    const repo = makeRepo(plan);
    expect((await runCli(repo, ['approve', 'm1'])).code).toBe(0);
    expect((await runCli(repo, ['approve', 'm3'])).code).toBe(0);
    expect(taskStatuses(await statusJson(repo))).toMatchObject({ m1: 'done', m3: 'done' });
    const run = await runCli(repo, ['run', '--all']);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/m1 +done earlier/);
    expect(run.stdout).not.toMatch(/awaiting/);
  });

  it('refuses to approve or skip a command task (exit 2), and an unknown task', async () => {
    const repo = makeRepo(plan);
    const approve = await runCli(repo, ['approve', '1.1']);
    expect(approve.code).toBe(2);
    expect(approve.stderr).toMatch(/task 1\.1 is a command task; only manual tasks are approved or skipped/);
    expect(approve.stderr).toMatch(/orchestrate run --task 1\.1/);
    expect((await runCli(repo, ['skip', '1.2'])).code).toBe(2);
    const unknown = await runCli(repo, ['approve', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no task "nope"/);
    expect(fs.existsSync(path.join(repo.dir, '.orchestrate/state.json'))).toBe(false);
  });
});
