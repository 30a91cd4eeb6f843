/**
 * The working tree as orchestrate sees it, through the built CLI on real git
 * repositories: what `command` tasks change is theirs (recap, status,
 * commits), a run killed with SIGKILL in the middle of a command does not
 * block the next one, and the plan and `.orchestrate/` are never foreign
 * changes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, shTask, startCli, statusJson, waitUntil, writePlan, type PlanInput } from '../helpers/plans.js';
import { filesOf, git, makeGitRepo } from './git-fixtures.js';

const porcelain = (dir: string) => git(dir, 'status', '--porcelain', '--untracked-files=all').split('\n').filter(Boolean).map((line) => line.trim());

describe('command tasks in a git repository', () => {
  it('credits a command with the files it changed: recap, status and the phase commit', async () => {
    const plan: PlanInput = {
      phases: [
        {
          id: 1,
          name: 'Tools',
          groups: [
            { id: 'a', tasks: [shTask('1.1', 'printf "one\\n" > one.txt'), shTask('1.2', 'printf "a\\nb\\n" >> README.md')] },
            { id: 'b', execution: 'parallel', tasks: [shTask('1.3', 'mkdir -p gen && printf x > gen/p.txt'), shTask('1.4', 'mkdir -p gen && printf y > gen/q.txt')] },
          ],
        },
      ],
    };
    const repo = makeGitRepo(plan, { 'README.md': 'readme\n' });
    const result = await runCli(repo, ['run', '--phase', '1', '--commit', '--reporter', 'plain']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('nothing new to commit');
    // The recap's diffstat names the commands' files.
    expect(result.stdout).toMatch(/Files changed:[\s\S]*one\.txt[\s\S]*README\.md/);
    const head = git(repo.dir, 'rev-parse', 'HEAD');
    expect(filesOf(repo.dir, head).filter((f) => !f.startsWith('.orchestrate/'))).toEqual(['README.md', 'gen/p.txt', 'gen/q.txt', 'one.txt']);
    expect(porcelain(repo.dir)).toEqual([]);
    const status = await statusJson(repo);
    const tasks = status.phases[0]!.groups.flatMap((g) => g.tasks) as Array<{ id: string; files?: string[] }>;
    expect(tasks.find((t) => t.id === '1.1')?.files).toEqual(['one.txt']);
    expect(tasks.find((t) => t.id === '1.2')?.files).toEqual(['README.md']);
  });

  it('resumes after the run was killed with SIGKILL in the middle of a command', async () => {
    // 1.2 writes half its output, then waits; resumed, it finishes the file.
    const plan: PlanInput = {
      phases: [
        {
          id: 1,
          name: 'Slow',
          groups: [{ id: 'a', tasks: [shTask('1.1', 'printf "one\\n" > one.txt'), shTask('1.2', 'if [ -f two.txt ]; then echo done >> two.txt; else echo partial > two.txt; sleep 30; fi')] }],
        },
      ],
    };
    const repo = makeGitRepo(plan);
    const run = await startCli(repo, ['run', '--phase', '1']);
    expect(await waitUntil(() => fs.existsSync(path.join(repo.dir, 'two.txt')), 60_000)).toBe(true);
    run.child.kill('SIGKILL');
    await run.result;
    const resumed = await runCli(repo, ['run', '--phase', '1', '--reporter', 'plain']);
    expect(resumed.stderr).not.toContain('orchestrate did not make');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(fs.readFileSync(path.join(repo.dir, 'two.txt'), 'utf8')).toBe('partial\ndone\n');
    // The killed command's record is gone once a run has recorded the whole tree: it cannot let later changes through.
    expect(fs.existsSync(path.join(repo.dir, '.orchestrate/pending'))).toBe(false);
    // And a person's change since is still caught.
    fs.writeFileSync(path.join(repo.dir, 'notes.txt'), 'mine\n');
    const refused = await runCli(repo, ['run', '--phase', '1', '--force']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('?? notes.txt');
    expect(refused.stderr).not.toContain('one.txt');
  });
});

describe('the plan and the state folder', () => {
  it('are never foreign changes, the hint stashes only the foreign files, and .orchestrate/ stays out of git status', async () => {
    const plan: PlanInput = { phases: [{ id: 1, name: 'One', groups: [{ id: 'a', tasks: [shTask('1.1', 'printf 1 > out.txt')] }] }] };
    const repo = makeGitRepo(plan);
    // The plan edited and not committed yet, as while writing it.
    writePlan(repo, { phases: [{ id: 1, name: 'One', groups: [{ id: 'a', tasks: [shTask('1.1', 'printf 1 > out.txt'), shTask('1.2', 'printf 2 > two.txt')] }] }] });
    fs.writeFileSync(path.join(repo.dir, 'notes.txt'), 'mine\n');
    const refused = await runCli(repo, ['run', '--phase', '1']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('?? notes.txt');
    expect(refused.stderr).not.toContain('phases.yaml');
    expect(refused.stderr).not.toMatch(/git stash -u\b/);
    expect(refused.stderr).toContain('git stash push -u -- notes.txt');

    fs.rmSync(path.join(repo.dir, 'notes.txt'));
    const ran = await runCli(repo, ['run', '--phase', '1']);
    expect(ran.code, ran.stderr).toBe(0);
    expect(porcelain(repo.dir).toSorted()).toEqual(['?? out.txt', '?? two.txt', 'M phases.yaml']);
  });
});
