/**
 * `orchestrate run --commit/--branch/--push` end to end: the built CLI as a
 * process against real git repositories with a bare `origin`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, runCli, shTask, type PlanInput } from '../helpers/plans.js';
import { filesOf, git, makeGitRepo, NOTE_TEMPLATE, noteTask } from './git-fixtures.js';

/** Phase 1 (two tasks), phase 2 after it, phase 3 beside both. */
const plan: PlanInput = {
  templates_dir: 'templates',
  phases: [
    { id: 1, name: 'Foundation', groups: [{ id: 'a', tasks: [noteTask('1.1', 'docs/one.md'), noteTask('1.2', 'docs/two.md')] }] },
    { id: 2, name: 'Critical services', groups: [{ id: 'a', tasks: [noteTask('2.1', 'docs/three.md')] }] },
    { id: 3, name: 'Side', depends_on: [], parallel_with: [1, 2], groups: [{ id: 'a', tasks: [noteTask('3.1', 'side.md')] }] },
  ],
};

const subjects = (dir: string, ref: string) => git(dir, 'log', '--format=%s', ref).split('\n');

describe('run --commit', () => {
  it('commits each completed phase on the checked-out branch with exactly its files and the state snapshot', async () => {
    const repo = makeGitRepo(plan, NOTE_TEMPLATE);
    const result = await runCli(repo, ['run', '--all', '--commit']);
    expect(result.stderr).toContain('phase 1: 1 commit on main');
    expect(result.code).toBe(0);

    const log = git(repo.dir, 'log', '--format=%H %s', 'main').split('\n');
    expect(log).toHaveLength(4);
    const bySubject = new Map(log.map((line) => [line.slice(41), line.slice(0, 40)]));
    const phase1 = bySubject.get('orchestrate: phase 1 - Foundation (2 tasks)');
    const phase2 = bySubject.get('orchestrate: phase 2 - Critical services (1 task)');
    const phase3 = bySubject.get('orchestrate: phase 3 - Side (1 task)');
    expect(phase1 && phase2 && phase3).toBeTruthy();
    // The first commit carries the state snapshot; the later ones carry it only when it differs.
    const first = git(repo.dir, 'rev-list', '--reverse', 'main').split('\n')[1] as string;
    expect(filesOf(repo.dir, first)).toContain('.orchestrate/state.json');
    expect(filesOf(repo.dir, phase1 as string).filter((f) => !f.startsWith('.orchestrate/'))).toEqual(['docs/one.md', 'docs/two.md']);
    expect(filesOf(repo.dir, phase2 as string).filter((f) => !f.startsWith('.orchestrate/'))).toEqual(['docs/three.md']);
    expect(filesOf(repo.dir, phase3 as string).filter((f) => !f.startsWith('.orchestrate/'))).toEqual(['side.md']);
    // Never the lock or the run logs.
    expect(git(repo.dir, 'ls-tree', '-r', '--name-only', 'main').split('\n').filter((f) => f.startsWith('.orchestrate/'))).toEqual(['.orchestrate/state.json']);
    const state = JSON.parse(git(repo.dir, 'show', 'main:.orchestrate/state.json')) as { runs: Array<{ status: string }> };
    expect(state.runs.at(-1)?.status).toBe('done');

    // The body lists the tasks with their outcomes; the author comes from git config.
    expect(git(repo.dir, 'show', '-s', '--format=%an <%ae>%n%b', phase1 as string)).toBe(
      ['Test Person <person@example.com>', '- 1.1 render template note to docs/one.md: changed (rendered note to docs/one.md)', '- 1.2 render template note to docs/two.md: changed (rendered note to docs/two.md)'].join('\n'),
    );
    // Index and working tree agree with the new commits; orchestrate's run logs and records are ignored by .orchestrate/.gitignore.
    expect(git(repo.dir, 'status', '--porcelain', '--untracked-files=all').split('\n').filter(Boolean)).toEqual([]);
  });

  it('commits per group with --commit-per group, and takes --author', async () => {
    const repo = makeGitRepo(
      { templates_dir: 'templates', phases: [{ id: 1, name: 'One', groups: [{ id: 'a', name: 'First', tasks: [noteTask('1.1', 'a.md')] }, { id: 'b', name: 'Second', tasks: [noteTask('1.2', 'b.md')] }] }] },
      NOTE_TEMPLATE,
    );
    const result = await runCli(repo, ['run', '--all', '--commit-per', 'group', '--author', 'Rollout Bot <bot@example.com>']);
    expect(result.code).toBe(0);
    expect(subjects(repo.dir, 'main')).toEqual(['orchestrate: phase 1 group b - Second (1 task)', 'orchestrate: phase 1 group a - First (1 task)', 'start']);
    expect(git(repo.dir, 'log', '-1', '--format=%an <%ae>')).toBe('Rollout Bot <bot@example.com>');
    expect(filesOf(repo.dir, 'main').filter((f) => !f.startsWith('.orchestrate/'))).toEqual(['b.md']);
  });

  it('refuses a dirty working tree, listing the files, unless --allow-dirty; the person’s file is never committed', async () => {
    const repo = makeGitRepo(plan, NOTE_TEMPLATE);
    fs.writeFileSync(path.join(repo.dir, 'notes.txt'), 'mine\n');
    fs.appendFileSync(path.join(repo.dir, 'templates/note.md.hbs'), '');
    fs.writeFileSync(path.join(repo.dir, 'phases.yaml.bak'), 'x');
    const refused = await runCli(repo, ['run', '--all', '--commit']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('has changes orchestrate did not make');
    expect(refused.stderr).toContain('?? notes.txt');
    expect(refused.stderr).toContain('--allow-dirty');
    expect(fs.existsSync(path.join(repo.dir, 'docs/one.md'))).toBe(false);
    expect(subjects(repo.dir, 'main')).toEqual(['start']);

    const allowed = await runCli(repo, ['run', '--all', '--commit', '--allow-dirty']);
    expect(allowed.code).toBe(0);
    expect(git(repo.dir, 'ls-tree', '-r', '--name-only', 'main')).not.toContain('notes.txt');
    expect(git(repo.dir, 'status', '--porcelain')).toContain('?? notes.txt');
  });

  it('refuses a dirty tree even without git flags, but a plain run works where there is no git repository', async () => {
    const repo = makeGitRepo(plan, NOTE_TEMPLATE);
    fs.writeFileSync(path.join(repo.dir, 'README.md'), 'changed\n');
    expect((await runCli(repo, ['run', '--phase', '3'])).code).toBe(2);

    const plain = makeRepo(plan, NOTE_TEMPLATE);
    const run = await runCli(plain, ['run', '--phase', '3']);
    expect(run.code).toBe(0);
    expect(fs.readFileSync(path.join(plain.dir, 'side.md'), 'utf8')).toBe('note from task 3.1\n');
    const commit = await runCli(plain, ['run', '--phase', '3', '--commit', '--force']);
    expect(commit.code).toBe(2);
    expect(commit.stderr).toMatch(/--commit needs a git repository, but .* is not one/);
    expect(commit.stderr).toContain('git init');
    expect(commit.stderr).not.toMatch(/\n\s+at /);
  });

  it('lets the next run go on over changes a previous run left, but not over a person’s edit of them since', async () => {
    const repo = makeGitRepo(
      {
        phases: [
          { id: 1, name: 'Edit', groups: [{ id: 'a', tasks: [shTask('1.1', 'echo edited >> README.md')] }] },
          { id: 2, name: 'Next', groups: [{ id: 'a', tasks: [shTask('2.1', 'true')] }] },
        ],
      },
      { 'README.md': 'readme\n' },
    );
    expect((await runCli(repo, ['run', '--phase', '1'])).code).toBe(0);
    expect(git(repo.dir, 'status', '--porcelain', '--', 'README.md')).toBe('M README.md');
    expect((await runCli(repo, ['run', '--phase', '2'])).code).toBe(0);

    fs.appendFileSync(path.join(repo.dir, 'README.md'), 'a person was here\n');
    const refused = await runCli(repo, ['run', '--phase', '2', '--force']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(' M README.md');
  });

  it('makes no commit in a dry run, and says so', async () => {
    const repo = makeGitRepo(plan, NOTE_TEMPLATE);
    const result = await runCli(repo, ['run', '--all', '--commit', '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('a dry run makes no commits');
    expect(subjects(repo.dir, 'main')).toEqual(['start']);
  });
});

describe('run --branch', () => {
  it('puts each phase on its own branch, stacked where phases depend on each other, leaving the checkout alone', async () => {
    const repo = makeGitRepo(plan, NOTE_TEMPLATE);
    const start = git(repo.dir, 'rev-parse', 'main');
    const result = await runCli(repo, ['run', '--all', '--branch']);
    expect(result.code).toBe(0);

    expect(git(repo.dir, 'rev-parse', 'main')).toBe(start);
    expect(git(repo.dir, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect(git(repo.dir, 'rev-parse', 'orchestrate/phase-1^')).toBe(start);
    expect(git(repo.dir, 'rev-parse', 'orchestrate/phase-2^')).toBe(git(repo.dir, 'rev-parse', 'orchestrate/phase-1'));
    expect(git(repo.dir, 'rev-parse', 'orchestrate/phase-3^')).toBe(start);
    expect(filesOf(repo.dir, 'orchestrate/phase-2')).toEqual(['docs/three.md']);
    expect(filesOf(repo.dir, 'orchestrate/phase-3')).toEqual(['.orchestrate/state.json', 'side.md']);
    // The working tree keeps the generated files, unstaged.
    expect(fs.readFileSync(path.join(repo.dir, 'docs/three.md'), 'utf8')).toBe('note from task 2.1\n');
    expect(git(repo.dir, 'diff', '--cached', '--name-only')).toBe('');
  });

  it('commits a file as its phase left it, even when a later phase changes it again', async () => {
    const repo = makeGitRepo(
      {
        templates_dir: 'templates',
        phases: [
          { id: 1, name: 'First', groups: [{ id: 'a', tasks: [noteTask('1.1', 'shared.md')] }] },
          { id: 2, name: 'Second', groups: [{ id: 'a', tasks: [{ id: '2.1', type: 'file_generation', template: 'other', target: 'shared.md', mode: 'overwrite' }] }] },
        ],
      },
      { ...NOTE_TEMPLATE, 'templates/other.md.hbs': 'second version\n' },
    );
    expect((await runCli(repo, ['run', '--all', '--branch'])).code).toBe(0);
    expect(git(repo.dir, 'show', 'orchestrate/phase-1:shared.md')).toBe('note from task 1.1');
    expect(git(repo.dir, 'show', 'orchestrate/phase-2:shared.md')).toBe('second version');
    expect(git(repo.dir, 'rev-parse', 'orchestrate/phase-2^')).toBe(git(repo.dir, 'rev-parse', 'orchestrate/phase-1'));
  });

  it('reuses the branch on a rerun: nothing new when nothing changed, a commit on top when something did', async () => {
    const repo = makeGitRepo(plan, NOTE_TEMPLATE);
    expect((await runCli(repo, ['run', '--phase', '1', '--branch', 'rollout/{id}-{name}'])).code).toBe(0);
    const tip = git(repo.dir, 'rev-parse', 'rollout/1-foundation');

    const again = await runCli(repo, ['run', '--phase', '1', '--branch', 'rollout/{id}-{name}']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('phase 1: nothing new to commit on rollout/1-foundation');
    expect(git(repo.dir, 'rev-parse', 'rollout/1-foundation')).toBe(tip);

    // A changed template re-runs the tasks (the person commits the template first: the tree must be clean).
    fs.writeFileSync(path.join(repo.dir, 'templates/note.md.hbs'), 'note v2 from task {{task_id}}\n');
    git(repo.dir, 'commit', '--quiet', '-am', 'new template');
    const changed = await runCli(repo, ['run', '--phase', '1', '--branch', 'rollout/{id}-{name}']);
    expect(changed.code).toBe(0);
    expect(git(repo.dir, 'rev-parse', 'rollout/1-foundation^')).toBe(tip);
    expect(git(repo.dir, 'show', 'rollout/1-foundation:docs/one.md')).toBe('note v2 from task 1.1');

    // Phase 2 in a later run stacks on phase 1's branch.
    expect((await runCli(repo, ['run', '--phase', '2', '--branch', 'rollout/{id}-{name}'])).code).toBe(0);
    expect(git(repo.dir, 'rev-parse', 'rollout/2-critical-services^')).toBe(git(repo.dir, 'rev-parse', 'rollout/1-foundation'));
  });

  it('pushes the branches to the bare origin with --push', async () => {
    const repo = makeGitRepo(plan, NOTE_TEMPLATE);
    const result = await runCli(repo, ['run', '--all', '--branch', '--push']);
    expect(result.code).toBe(0);
    for (const branch of ['orchestrate/phase-1', 'orchestrate/phase-2', 'orchestrate/phase-3']) {
      expect(git(repo.origin, 'rev-parse', `refs/heads/${branch}`)).toBe(git(repo.dir, 'rev-parse', branch));
    }
    expect(git(repo.origin, 'show', 'orchestrate/phase-2:docs/three.md')).toBe('note from task 2.1');
  });

  it('builds on the remote’s branch in a fresh clone (as in CI), so the push is a fast-forward', async () => {
    const repo = makeGitRepo(plan, NOTE_TEMPLATE);
    expect((await runCli(repo, ['run', '--phase', '1', '--branch', '--push'])).code).toBe(0);
    const pushed = git(repo.origin, 'rev-parse', 'refs/heads/orchestrate/phase-1');

    const clone = `${repo.dir}-clone`;
    git(path.dirname(clone), 'clone', '--quiet', repo.origin, clone);
    git(clone, 'config', 'user.name', 'CI');
    git(clone, 'config', 'user.email', 'ci@example.com');
    fs.writeFileSync(path.join(clone, 'templates/note.md.hbs'), 'note v2 from task {{task_id}}\n');
    git(clone, 'commit', '--quiet', '-am', 'new template');
    const result = await runCli({ dir: clone, planFile: path.join(clone, 'phases.yaml') }, ['run', '--phase', '1', '--branch', '--push']);
    fs.rmSync(clone, { recursive: true, force: true });
    expect(result.code).toBe(0);
    expect(git(repo.origin, 'rev-parse', 'refs/heads/orchestrate/phase-1^')).toBe(pushed);
    expect(git(repo.origin, 'show', 'orchestrate/phase-1:docs/one.md')).toBe('note v2 from task 1.1');
  });

  it('stacks a later phase on the remote’s branch of an earlier one in a fresh clone, with --with-deps', async () => {
    const repo = makeGitRepo(plan, NOTE_TEMPLATE);
    expect((await runCli(repo, ['run', '--phase', '1', '--branch', '--push'])).code).toBe(0);
    const phase1 = git(repo.origin, 'rev-parse', 'refs/heads/orchestrate/phase-1');

    const clone = `${repo.dir}-ci`;
    git(path.dirname(clone), 'clone', '--quiet', repo.origin, clone);
    git(clone, 'config', 'user.name', 'CI');
    git(clone, 'config', 'user.email', 'ci@example.com');
    const result = await runCli({ dir: clone, planFile: path.join(clone, 'phases.yaml') }, ['run', '--phase', '2', '--with-deps', '--branch', '--push']);
    fs.rmSync(clone, { recursive: true, force: true });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('phase 1: nothing new to commit on orchestrate/phase-1');
    expect(git(repo.origin, 'rev-parse', 'refs/heads/orchestrate/phase-1')).toBe(phase1);
    expect(git(repo.origin, 'rev-parse', 'refs/heads/orchestrate/phase-2^')).toBe(phase1);
  });

  it('says so plainly when the remote does not exist or the pattern is not a branch name', async () => {
    const repo = makeGitRepo(plan, NOTE_TEMPLATE);
    const noRemote = await runCli(repo, ['run', '--phase', '3', '--push', '--remote', 'upstream']);
    expect(noRemote.code).toBe(2);
    expect(noRemote.stderr).toContain('no remote named "upstream"');
    const badPattern = await runCli(repo, ['run', '--phase', '3', '--branch', 'rollout..x/{id}']);
    expect(badPattern.code).toBe(2);
    expect(badPattern.stderr).toContain('does not make a valid git branch name');
    const noId = await runCli(repo, ['run', '--phase', '3', '--branch', 'rollout']);
    expect(noId.code).toBe(2);
    expect(noId.stderr).toContain('has no {id}');
  });
});
