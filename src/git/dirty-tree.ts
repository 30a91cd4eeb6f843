/**
 * The check before a run: changes in the target's working tree that
 * orchestrate did not make stop the run, so that no person's unfinished work
 * is swept into a phase's commit or mixed with the rollout. Changes are
 * orchestrate's own when their content is what the last run left (see
 * worktree-record.ts) or when a task recorded them in the state.
 */
import { ExitCode, UserError } from '../errors.js';
import type { GitRepository } from './repository.js';
import { pendingWrites } from './tree-changes.js';
import { contentHashes, readWorktreeRecord, worktreeChanges } from './worktree-record.js';

const SHOWN = 20;

/**
 * Throw a UserError (exit 2) listing the changed files, unless there are
 * none. `taskFiles` maps each file the state records as written by a task to
 * when that task last finished; `planInputs` (root-relative; a folder ends in
 * `/`) are the plan and the templates it reads: the rollout's own input,
 * never a foreign change.
 */
export async function assertCleanTree(repo: GitRepository, taskFiles: ReadonlyMap<string, number>, planInputs: readonly string[] = []): Promise<void> {
  const isInput = (file: string) => planInputs.some((input) => (input.endsWith('/') ? file.startsWith(input) : file === input));
  const changes = (await worktreeChanges(repo)).filter((change) => !isInput(change.path));
  const record = readWorktreeRecord(repo.root);
  const hashes = await contentHashes(repo, changes.filter((change) => record.files.has(change.path)).map((change) => change.path));
  const ours = (file: string): boolean => {
    const recorded = record.files.get(file);
    if (recorded !== undefined && recorded === hashes.get(file)) return true;
    // Written by a task after the record was made: a run that ended before it could record it.
    const finished = taskFiles.get(file);
    return finished !== undefined && (recorded === undefined || finished > record.updatedAt);
  };
  const unrecorded = changes.filter((change) => !ours(change.path));
  // A run killed in the middle of a command left what that command wrote so far.
  const killedMidway = await pendingWrites(repo, unrecorded.map((change) => change.path));
  const dirty = unrecorded.filter((change) => !killedMidway.has(change.path));
  if (dirty.length === 0) return;
  const shown = dirty.slice(0, SHOWN).map((change) => `  ${change.code} ${change.path}`);
  if (dirty.length > SHOWN) shown.push(`  ... and ${dirty.length - SHOWN} more`);
  // Name the files, so that a stash never takes the plan (or anything else) with them.
  const stash = dirty.length <= SHOWN ? `git stash push -u -- ${dirty.map((change) => shellWord(change.path)).join(' ')}` : 'git stash push -u -- <paths>';
  throw new UserError(`the working tree of ${repo.root} has changes orchestrate did not make:\n${shown.join('\n')}`, {
    hint: `commit them, or stash just them (\`${stash}\`), or pass --allow-dirty to run anyway (a file no task writes never goes into orchestrate’s commits)`,
    exitCode: ExitCode.usage,
  });
}

/** A path as one shell word. */
function shellWord(text: string): string {
  return /^[\w./@%+=:,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
