/**
 * `orchestrate status` as a person reads it: `--verify` says exactly how many
 * done tasks it checked and which it could not, and phases nothing has
 * touched yet are summed up instead of listed task by task.
 */
import { describe, expect, it } from 'vitest';
import { makeRepo, runCli, shTask, startCli, statusJson, waitUntil, type PlanInput } from '../helpers/plans.js';

const plan: PlanInput = {
  templates_dir: 'templates',
  phases: [
    {
      id: 1,
      name: 'First',
      groups: [{ id: 'a', tasks: [shTask('1.1', 'true'), shTask('1.2', 'true'), { id: '1.3', type: 'file_generation', template: 'note', target: 'docs/note.md' }] }],
    },
    { id: 2, name: 'Later', groups: [{ id: 'a', tasks: [shTask('2.1', 'true'), shTask('2.2', 'true')] }, { id: 'b', tasks: [shTask('2.3', 'true')] }] },
  ],
};
const files = { 'templates/note.md.hbs': 'note from task {{task_id}}\n' };

describe('status', () => {
  it('--verify counts what it checked and names what it could not check', async () => {
    const repo = makeRepo(plan, files);
    expect((await runCli(repo, ['run', '--phase', '1'])).code).toBe(0);
    const verified = await runCli(repo, ['status', '--verify']);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).not.toContain('every verifiable done task');
    expect(verified.stdout).toContain('Verified 1 of 3 done tasks: 1 in place, 0 drifted; 2 could not be checked.');
    expect(verified.stdout).toMatch(/not checked: 1\.1, 1\.2 \(command tasks cannot be checked without running them\)/);
  });

  it('sums up a phase nothing has touched yet in one line; --verbose lists its tasks', async () => {
    const repo = makeRepo(plan, files);
    expect((await runCli(repo, ['run', '--phase', '1'])).code).toBe(0);
    const shown = await runCli(repo, ['status']);
    expect(shown.stdout).toContain('3 tasks pending in 2 groups');
    expect(shown.stdout).not.toMatch(/2\.1 /);
    expect(shown.stdout).toMatch(/1\.1 /);
    const verbose = await runCli(repo, ['status', '--verbose']);
    expect(verbose.stdout).toMatch(/2\.1 /);
  });

  it('folds the pending tasks of a started phase into one line per group; --verbose lists them', async () => {
    const many: PlanInput = {
      phases: [{ id: 1, name: 'Wide', groups: [{ id: 'a', tasks: Array.from({ length: 9 }, (_, i) => shTask(`1.${i + 1}`, 'true')) }] }],
    };
    const repo = makeRepo(many);
    expect((await runCli(repo, ['run', '--task', '1.1'])).code).toBe(0);
    const shown = await runCli(repo, ['status']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/1\.1 .*done/);
    expect(shown.stdout).toContain('8 tasks pending: 1.2, 1.3, 1.4, … 1.9');
    expect(shown.stdout).not.toMatch(/1\.5 /);
    const verbose = await runCli(repo, ['status', '--verbose']);
    expect(verbose.stdout).toMatch(/1\.5 .*pending/);
  });

  it('shows a running task without a duration it does not have yet', async () => {
    const repo = makeRepo({ phases: [{ id: 1, name: 'Slow', groups: [{ id: 'a', tasks: [shTask('1.1', 'sleep 20')] }] }] });
    const run = await startCli(repo, ['run', '--all']);
    try {
      expect(await waitUntil(async () => Object.values((await statusJson(repo)).phases[0]!.groups[0]!.tasks).some((t) => t.status === 'running'), 60_000)).toBe(true);
      const shown = await runCli(repo, ['status']);
      const line = shown.stdout.split('\n').find((l) => l.includes('1.1'));
      expect(line).toContain('running');
      expect(line).not.toMatch(/\(0ms/);
    } finally {
      run.child.kill('SIGINT');
      await run.result;
    }
  });
});
