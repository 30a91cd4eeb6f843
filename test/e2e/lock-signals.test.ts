/**
 * One run at a time, and Ctrl-C: a second run on a busy repository is refused
 * with the holder named; SIGINT stops a run within a bounded time, leaves no
 * child or grandchild behind, and the state says the run was interrupted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive, makeRepo, runCli, shTask, startCli, statusJson, taskStatuses, waitUntil } from '../helpers/plans.js';

describe('the repository lock', () => {
  it('refuses a second run while one is in progress, naming the holder, and lets the next run in afterwards', async () => {
    const repo = makeRepo({
      phases: [{ id: '1', name: 'slow', groups: [{ id: 'a', tasks: [shTask('1.1', 'touch started; sleep 5')] }] }],
    });
    const first = await startCli(repo, ['run', '--all']);
    expect(await waitUntil(() => fs.existsSync(path.join(repo.dir, 'started')), 60_000)).toBe(true);
    const holder = JSON.parse(fs.readFileSync(path.join(repo.dir, '.orchestrate/lock.json'), 'utf8')) as { pid: number; startedAt: string };
    expect(holder.pid).toBe(first.pid);

    const second = await runCli(repo, ['run', '--all']);
    expect(second.code).toBe(4);
    expect(second.stderr).toContain(`pid ${first.pid}`);
    expect(second.stderr).toContain(holder.startedAt);
    expect(second.stderr).toMatch(/holds the lock/);

    const done = await first.result;
    expect(done.code).toBe(0);
    // The lock went with the first run: the next one takes it without a word about it.
    expect(fs.existsSync(path.join(repo.dir, '.orchestrate/lock'))).toBe(false);
    const third = await runCli(repo, ['run', '--all']);
    expect(third.code).toBe(0);
    expect(third.stderr).not.toMatch(/lock/);
    expect(third.stdout).toMatch(/1\.1 +done earlier/);
  });
});

describe('SIGINT', () => {
  it('cancels running tasks, kills their whole process trees, exits 130 and records the interruption', async () => {
    const repo = makeRepo({
      phases: [
        {
          id: '1',
          name: 'long',
          groups: [
            {
              id: 'a',
              execution: 'parallel',
              tasks: [
                shTask('1.1', 'echo $$ > sleeper.pid; exec sleep 30'),
                shTask('1.2', "echo $$ > shell.pid; sh -c 'sleep 30 & echo $! > child.pid; wait'; echo never >> after.txt"),
              ],
            },
            { id: 'b', tasks: [shTask('1.3', 'echo never > dependent.txt')] },
          ],
        },
      ],
    });
    const run = await startCli(repo, ['run', '--all']);
    const pidFile = (name: string) => path.join(repo.dir, name);
    expect(await waitUntil(() => ['sleeper.pid', 'shell.pid', 'child.pid'].every((f) => fs.existsSync(pidFile(f)) && fs.readFileSync(pidFile(f), 'utf8').trim() !== ''), 60_000)).toBe(true);
    const pids = ['sleeper.pid', 'shell.pid', 'child.pid'].map((f) => Number(fs.readFileSync(pidFile(f), 'utf8').trim()));
    for (const pid of pids) expect(isAlive(pid)).toBe(true);

    const sent = Date.now();
    run.child.kill('SIGINT');
    const result = await run.result;
    expect(result.code).toBe(130);
    // Children get SIGTERM and exit at once; the bound is generous, the point is that it stopped.
    expect(Date.now() - sent).toBeLessThan(10_000);
    expect(await waitUntil(() => pids.every((pid) => !isAlive(pid)), 5_000)).toBe(true);
    expect(fs.existsSync(path.join(repo.dir, 'after.txt'))).toBe(false);
    expect(fs.existsSync(path.join(repo.dir, 'dependent.txt'))).toBe(false);
    expect(result.stderr).toMatch(/SIGINT: stopping/);
    expect(result.stdout).toMatch(/Run interrupted/);

    const status = await statusJson(repo);
    expect(status.last_run?.status).toBe('interrupted');
    expect(taskStatuses(status)).toEqual({ '1.1': 'cancelled', '1.2': 'cancelled', '1.3': 'pending' });
    // The lock went with the run.
    expect(fs.existsSync(path.join(repo.dir, '.orchestrate/lock'))).toBe(false);
  });
});

describe('a second SIGINT', () => {
  it('kills at once what the first could not stop, and nothing outlives the CLI', async () => {
    const repo = makeRepo({
      phases: [{ id: '1', name: 'stubborn', groups: [{ id: 'a', tasks: [shTask('1.1', "echo $$ > stubborn.pid; trap '' TERM; exec sleep 30", { kill_grace: '20s' })] }] }],
    });
    const run = await startCli(repo, ['run', '--all']);
    const pidFile = path.join(repo.dir, 'stubborn.pid');
    expect(await waitUntil(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() !== '', 60_000)).toBe(true);
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));

    run.child.kill('SIGINT');
    // The task ignores SIGTERM and has a long grace: the first signal alone cannot end it.
    expect(await waitUntil(() => /SIGINT: stopping/.test(run.stderr()), 60_000)).toBe(true);
    expect(isAlive(pid)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    run.child.kill('SIGINT');
    const result = await run.result;
    expect(result.code === 130 || result.signal === 'SIGINT').toBe(true);
    expect(await waitUntil(() => !isAlive(pid), 5_000)).toBe(true);
  });

  it('SIGTERM stops a run like Ctrl-C: exit 130, children ended', async () => {
    const repo = makeRepo({ phases: [{ id: '1', name: 'long', groups: [{ id: 'a', tasks: [shTask('1.1', 'echo $$ > sleeper.pid; exec sleep 30')] }] }] });
    const run = await startCli(repo, ['run', '--all']);
    const pidFile = path.join(repo.dir, 'sleeper.pid');
    expect(await waitUntil(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() !== '', 60_000)).toBe(true);
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    run.child.kill('SIGTERM');
    const result = await run.result;
    expect(result.code).toBe(130);
    expect(await waitUntil(() => !isAlive(pid), 5_000)).toBe(true);
    expect((await statusJson(repo)).last_run?.status).toBe('interrupted');
  });
});
