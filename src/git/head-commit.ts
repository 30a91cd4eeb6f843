/**
 * Two read-only questions to git that sharded runs ask of a target that may
 * not be a repository at all: the commit checked out, and which of some paths
 * have changes not committed. Both answer "unknown" (undefined) outside git.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The commit checked out in `root`, or undefined when `root` is not in a git work tree (or has no commit). */
export async function headCommit(root: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { cwd: root });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Which of `paths` (relative to `root`) have uncommitted changes or are untracked; undefined outside git. */
export async function uncommittedPaths(root: string, paths: readonly string[]): Promise<string[] | undefined> {
  if (paths.length === 0) return [];
  try {
    const { stdout } = await run('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...paths.map((p) => `:(literal)${p}`)], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    const prefix = (await run('git', ['rev-parse', '--show-prefix'], { cwd: root })).stdout.trim();
    const changed: string[] = [];
    const entries = stdout.split('\0');
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (entry.length < 4) continue;
      // A rename's entry is followed by its old path, which is not one of ours.
      if (entry[0] === 'R' || entry[0] === 'C') i++;
      const file = entry.slice(3);
      changed.push(prefix && file.startsWith(prefix) ? file.slice(prefix.length) : file);
    }
    return changed;
  } catch {
    return undefined;
  }
}
