/**
 * The check before a run that will commit: changes in the target's working
 * tree that orchestrate did not make stop the run, so that no person's
 * unfinished work is swept into a phase's commit or mixed with the rollout.
 */
import { ExitCode, UserError } from '../errors.js';
import type { GitRepository } from './repository.js';

const SHOWN = 20;

/**
 * Throw a UserError (exit 2) listing the changed files, unless there are none.
 * `ours` holds root-relative files orchestrate's own tasks wrote (from the
 * state): a run that stopped before committing must be able to go on.
 */
export async function assertCleanTree(repo: GitRepository, ours: ReadonlySet<string>): Promise<void> {
  const text = await repo.git.raw(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', repo.prefix || '.']);
  const entries = text.split('\0');
  const dirty: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] ?? '';
    if (entry.length < 4) continue;
    const code = entry.slice(0, 2);
    const file = entry.slice(3);
    if (code.startsWith('R') || code.startsWith('C')) i++; // the source path follows
    const rootRelative = repo.prefix ? stripPrefix(file, repo.prefix) : file;
    if (rootRelative === undefined) continue;
    if (rootRelative === '.orchestrate' || rootRelative.startsWith('.orchestrate/')) continue;
    if (ours.has(rootRelative)) continue;
    dirty.push(`${code} ${rootRelative}`);
  }
  if (dirty.length === 0) return;
  const shown = dirty.slice(0, SHOWN).map((line) => `  ${line}`);
  if (dirty.length > SHOWN) shown.push(`  ... and ${dirty.length - SHOWN} more`);
  throw new UserError(`the working tree of ${repo.root} has changes orchestrate did not make:\n${shown.join('\n')}`, {
    hint: 'commit or stash them first (`git stash -u`), or pass --allow-dirty to run anyway (they are never put in orchestrate’s commits)',
    exitCode: ExitCode.usage,
  });
}

function stripPrefix(file: string, prefix: string): string | undefined {
  return file.startsWith(`${prefix}/`) ? file.slice(prefix.length + 1) : undefined;
}
