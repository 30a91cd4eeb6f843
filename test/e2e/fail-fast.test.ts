/**
 * What a failure does to the rest of the run. With --fail-fast, work still
 * running is cancelled (its processes end) and nothing new starts; without it,
 * only what depends on the failure is left out, reported as not run, and
 * independent work carries on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive, jsonEvents, makeRepo, runCli, shTask, statusJson, taskStatuses, waitUntil, type PlanInput } from '../helpers/plans.js';

/** 1.1 fails once 1.2 is running; 1.3 depends on both; phase 2 on phase 1; phase 3 on nothing. */
function plan(sleeper: string): PlanInput {
  return {
    phases: [
      {
        id: '1',
        name: 'first',
        groups: [
          {
            id: 'a',
            execution: 'parallel',
            tasks: [
              shTask('1.1', 'while [ ! -s sleeper.pid ]; do sleep 0.05; done; echo broken >&2; exit 1'),
              shTask('1.2', sleeper),
            ],
          },
          { id: 'b', tasks: [shTask('1.3', 'touch 1.3.done')] },
        ],
      },
      { id: '2', name: 'second', groups: [{ id: 'a', tasks: [shTask('2.1', 'touch 2.1.done')] }] },
      { id: '3', name: 'aside', depends_on: [], groups: [{ id: 'a', tasks: [shTask('3.1', 'while [ ! -s sleeper.pid ]; do sleep 0.05; done; touch 3.1.done')] }] },
    ],
  };
}

describe('--fail-fast', () => {
  it('cancels the task still running, ends its process, starts nothing more and exits 1', async () => {
    const repo = makeRepo(plan('echo $$ > sleeper.pid; exec sleep 30'));
    const result = await runCli(repo, ['run', '--all', '--fail-fast', '--reporter', 'json']);
    expect(result.code, result.stderr).toBe(1);
    // `sleep 30` was not waited for; the bound is generous.
    expect(result.durationMs).toBeLessThan(15_000);
    const sleeper = Number(fs.readFileSync(path.join(repo.dir, 'sleeper.pid'), 'utf8'));
    expect(await waitUntil(() => !isAlive(sleeper), 5_000)).toBe(true);

    const events = jsonEvents(result.stdout);
    const finished = Object.fromEntries(events.filter((e) => e.type === 'task:finish').map((e) => [e.taskId, e.status]));
    expect(finished['1.1']).toBe('failed');
    expect(finished['1.2']).toBe('cancelled');
    expect(events.find((e) => e.type === 'task:finish' && e.taskId === '1.2')?.summary).toMatch(/fail-fast/);
    const skipped = Object.fromEntries(events.filter((e) => e.type === 'task:skip').map((e) => [e.taskId, e.reason]));
    expect(skipped).toMatchObject({ '1.3': 'cancelled', '2.1': 'cancelled' });
    expect(fs.existsSync(path.join(repo.dir, '1.3.done'))).toBe(false);
    expect(fs.existsSync(path.join(repo.dir, '2.1.done'))).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: 'summary', status: 'failed', exitCode: 1 });

    const status = taskStatuses(await statusJson(repo));
    expect(status).toMatchObject({ '1.1': 'failed', '1.2': 'cancelled', '1.3': 'pending', '2.1': 'pending' });
  });
});

describe('without --fail-fast', () => {
  const quick = 'echo 1 > sleeper.pid';

  it('skips what depends on the failure, reports it as not run, and still runs an independent phase', async () => {
    const repo = makeRepo(plan(quick));
    const result = await runCli(repo, ['run', '--all']);
    expect(result.code, result.stderr).toBe(1);
    expect(fs.existsSync(path.join(repo.dir, '3.1.done'))).toBe(true);
    expect(fs.existsSync(path.join(repo.dir, '1.3.done'))).toBe(false);
    expect(fs.existsSync(path.join(repo.dir, '2.1.done'))).toBe(false);
    expect(result.stdout).toMatch(/1\.3 +not run: group a did not finish/);
    expect(result.stdout).toMatch(/2\.1 +not run: phase 1 did not finish/);
    expect(result.stdout).toMatch(/Run failed\./);
    expect(result.stdout).toMatch(/2 task\(s\) not started because something they depend on did not finish/);
    expect(result.stdout).toMatch(/1\.1: command failed with exit code 1/);
    expect(result.stdout).toMatch(/Phase 3 aside: done/);

    const status = taskStatuses(await statusJson(repo));
    expect(status).toEqual({ '1.1': 'failed', '1.2': 'done', '1.3': 'pending', '2.1': 'pending', '3.1': 'done' });
  });

  it('says so in JSON events: task:skip with reason dependency-failed, counted as blocked', async () => {
    const repo = makeRepo(plan(quick));
    const result = await runCli(repo, ['run', '--all', '--reporter', 'json']);
    expect(result.code).toBe(1);
    const events = jsonEvents(result.stdout);
    const skips = events.filter((e) => e.type === 'task:skip').map((e) => [e.taskId, e.reason]);
    expect(skips.toSorted()).toEqual([
      ['1.3', 'dependency-failed'],
      ['2.1', 'dependency-failed'],
    ]);
    expect(events.filter((e) => e.type === 'task:start').map((e) => e.taskId).toSorted()).toEqual(['1.1', '1.2', '3.1']);
    expect(events.find((e) => e.type === 'run:finish')).toMatchObject({ status: 'failed', counts: { blocked: 2, failed: 1, changed: 2 } });
    const phases = Object.fromEntries(events.filter((e) => e.type === 'phase:finish').map((e) => [e.phaseId, e.status]));
    expect(phases).toEqual({ '1': 'failed', '2': 'skipped', '3': 'done' });
  });
});
