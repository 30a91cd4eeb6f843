/**
 * The check before a run: changes in the target's working tree that
 * orchestrate did not make stop the run, so that no person's unfinished work
 * is swept into a phase's commit or mixed with the rollout. Changes are
 * orchestrate's own when their content is what the last run left (see
 * worktree-record.ts) or when a task recorded them in the state.
 */
import { ExitCode, UserError } from '../errors.js';
import type { GitRepository } from './repository.js';
import { contentHashes, readWorktreeRecord, worktreeChanges } from './worktree-record.js';

const SHOWN = 20;

/** Throw a UserError (exit 2) listing the changed files, unless there are none. */
export async function assertCleanTree(repo: GitRepository, taskFiles: ReadonlySet<string>): Promise<void> {
  const changes = (await worktreeChanges(repo)).filter((change) => !taskFiles.has(change.path));
  const record = readWorktreeRecord(repo.root);
  const recorded = changes.filter((change) => record.has(change.path));
  const hashes = await contentHashes(repo, recorded.map((change) => change.path));
  const dirty = changes.filter((change) => !record.has(change.path) || record.get(change.path) !== hashes.get(change.path)).map((change) => `${change.code} ${change.path}`);
  if (dirty.length === 0) return;
  const shown = dirty.slice(0, SHOWN).map((line) => `  ${line}`);
  if (dirty.length > SHOWN) shown.push(`  ... and ${dirty.length - SHOWN} more`);
  throw new UserError(`the working tree of ${repo.root} has changes orchestrate did not make:\n${shown.join('\n')}`, {
    hint: 'commit or stash them first (`git stash -u`), or pass --allow-dirty to run anyway (a file no task writes never goes into orchestrate’s commits)',
    exitCode: ExitCode.usage,
  });
}
