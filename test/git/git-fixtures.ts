/**
 * Real git repositories for the git and GitHub tests: a target repository
 * (built with the end-to-end helpers, so the CLI runs against it as a
 * process) committed once on `main`, with a bare repository as `origin`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeRepo, type PlanInput, type Repo } from '../helpers/plans.js';

export interface GitRepo extends Repo {
  /** The bare repository `origin` points at. */
  origin: string;
}

/** Run git in `dir` and return its trimmed output. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } }).trim();
}

/** A target repository holding the plan and files, committed on main and pushed to a bare origin. */
export function makeGitRepo(plan: PlanInput, files: Record<string, string> = {}): GitRepo {
  const repo = makeRepo(plan, files);
  const origin = `${repo.dir}-origin.git`;
  git(path.dirname(origin), 'init', '--quiet', '--bare', '--initial-branch=main', origin);
  git(repo.dir, 'init', '--quiet', '--initial-branch=main');
  git(repo.dir, 'config', 'user.name', 'Test Person');
  git(repo.dir, 'config', 'user.email', 'person@example.com');
  git(repo.dir, 'config', 'commit.gpgsign', 'false');
  git(repo.dir, 'add', '-A');
  git(repo.dir, 'commit', '--quiet', '-m', 'start');
  git(repo.dir, 'remote', 'add', 'origin', origin);
  git(repo.dir, 'push', '--quiet', 'origin', 'main');
  return { ...repo, origin };
}

/** Remove the bare origin (the target itself is removed by the end-to-end helpers). */
export function removeOrigin(repo: GitRepo): void {
  fs.rmSync(repo.origin, { recursive: true, force: true });
}

/** Files a commit changed against its first parent, sorted. */
export function filesOf(dir: string, commit: string): string[] {
  return git(dir, 'diff-tree', '--no-commit-id', '--name-only', '-r', '--root', commit).split('\n').filter(Boolean).sort();
}

/** A file_generation task writing `target` from the plan's template `note` (which prints the task id). */
export function noteTask(id: string, target: string): Record<string, unknown> {
  return { id, type: 'file_generation', template: 'note', target, mode: 'overwrite' };
}

/** The template `note` for noteTask, to put in the repository's files. */
export const NOTE_TEMPLATE = { 'templates/note.md.hbs': 'note from task {{task_id}}\n' };
