/**
 * Builds one commit with git plumbing, never touching the user's index,
 * checkout or working tree: a temporary index (GIT_INDEX_FILE) is filled from
 * the parent commit's tree, exactly the given files are put in it, and
 * write-tree / commit-tree make the commit. Moving a branch to it is
 * `moveBranch`'s job.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import type { CapturedFile } from './change-capture.js';
import type { GitRepository, Identity } from './repository.js';

export interface CommitInput {
  /** The parent commit; undefined for a repository without commits. */
  parent: string | undefined;
  /** Repository-relative path -> content. */
  files: Map<string, CapturedFile>;
  /** Added too, but alone they do not make a commit (the state snapshot). */
  extra?: Map<string, CapturedFile>;
  message: string;
  author: Identity;
  committer: Identity;
}

/** Make the commit; resolves to its id, or undefined when it would change nothing. */
export async function buildCommit(repo: GitRepository, input: CommitInput): Promise<string | undefined> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'orchestrate-index-'));
  try {
    const env = { ...plumbingEnv(repo.env), GIT_INDEX_FILE: path.join(scratch, 'index') };
    const git = simpleGit({ baseDir: repo.top }).env(env);
    await git.raw(input.parent ? ['read-tree', input.parent] : ['read-tree', '--empty']);
    let n = 0;
    const stage = async (files: Map<string, CapturedFile>) => {
      const removed = [...files].filter(([, captured]) => captured === 'deleted').map(([file]) => file);
      // Blobs are written side by side (simple-git bounds the processes), then put in with one update-index.
      const added = await Promise.all(
        [...files].flatMap(([file, captured]) => {
          if (captured === 'deleted') return [];
          const blobFile = path.join(scratch, `blob-${n++}`);
          return [
            (async () => {
              await writeFile(blobFile, captured.content);
              // --path applies the repository's filters (line endings) as `git add` would.
              const blob = (await git.raw(['hash-object', '-w', `--path=${file}`, '--', blobFile])).trim();
              return `${captured.executable ? '100755' : '100644'},${blob},${file}`;
            })(),
          ];
        }),
      );
      if (removed.length > 0) await git.raw(['update-index', '--force-remove', '--', ...removed]);
      if (added.length > 0) await git.raw(['update-index', '--add', ...added.flatMap((info) => ['--cacheinfo', info])]);
    };
    await stage(input.files);
    const parentTree = input.parent ? (await git.raw(['rev-parse', `${input.parent}^{tree}`])).trim() : EMPTY_TREE;
    if ((await git.raw(['write-tree'])).trim() === parentTree) return undefined;
    await stage(input.extra ?? new Map());
    const tree = (await git.raw(['write-tree'])).trim();
    const committing = simpleGit({ baseDir: repo.top }).env({
      ...env,
      GIT_AUTHOR_NAME: input.author.name,
      GIT_AUTHOR_EMAIL: input.author.email,
      GIT_COMMITTER_NAME: input.committer.name,
      GIT_COMMITTER_EMAIL: input.committer.email,
    });
    const args = ['commit-tree', tree, ...(input.parent ? ['-p', input.parent] : []), '-F', path.join(scratch, 'message')];
    await writeFile(path.join(scratch, 'message'), input.message);
    return (await committing.raw(args)).trim();
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Point `branch` at `commit`, only if it still points at `expected` (git's
 * compare-and-swap: a branch moved meanwhile is not overwritten).
 */
export async function moveBranch(repo: GitRepository, branch: string, commit: string, expected: string | undefined, reason: string): Promise<void> {
  const ref = branch === 'HEAD' ? 'HEAD' : `refs/heads/${branch}`;
  await repo.git.raw(['update-ref', '-m', reason, ref, commit, expected ?? '0'.repeat(40)]);
}

/** The files two commits differ in, for the diffstat: [added, deleted, path]. */
export async function diffStat(repo: GitRepository, from: string, to: string): Promise<Array<{ added: number | undefined; deleted: number | undefined; path: string }>> {
  const text = await repo.git.raw(['diff', '--numstat', '--no-renames', from, to]);
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [added = '-', deleted = '-', ...rest] = line.split('\t');
      return { added: added === '-' ? undefined : Number(added), deleted: deleted === '-' ? undefined : Number(deleted), path: rest.join('\t') };
    });
}

/** The id of git's empty tree (SHA-1 repositories). */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/**
 * What the plumbing commands need of the environment, and no more: an
 * editor, pager or ssh command in it plays no part here, and simple-git
 * refuses to pass them through an explicit environment.
 */
const PLUMBING_ENV = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TMPDIR', 'TEMP', 'TMP', 'XDG_CONFIG_HOME', 'SYSTEMROOT', 'GIT_CONFIG_NOSYSTEM'];

function plumbingEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of PLUMBING_ENV) {
    const value = env[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
