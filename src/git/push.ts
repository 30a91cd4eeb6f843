/**
 * Pushes phase branches to a remote. In GitHub Actions (a GITHUB_TOKEN in
 * the environment and an https remote) the token goes in an HTTP header for
 * this push only, the way actions/checkout does, so it is never written to
 * the repository's config.
 */
import { simpleGit } from 'simple-git';
import { UserError, errorMessage } from '../errors.js';
import type { GitRepository } from './repository.js';

export interface PushOptions {
  remote: string;
  /** A token for https remotes; undefined: git's own credentials. */
  token: string | undefined;
}

/** Push each branch to the same name on the remote; a UserError (exit 1) says which failed. */
export async function pushBranches(repo: GitRepository, branches: string[], options: PushOptions): Promise<void> {
  const remotes = (await repo.git.raw(['remote'])).split('\n').map((line) => line.trim());
  if (!remotes.includes(options.remote)) {
    throw new UserError(`--push: the repository has no remote named "${options.remote}"`, {
      hint: `add it with \`git remote add ${options.remote} URL\`, or name another with --remote`,
    });
  }
  const url = (await repo.git.raw(['remote', 'get-url', options.remote])).trim();
  const config: string[] = [];
  const host = /^https:\/\//.test(url) ? new URL(url).host : undefined;
  // actions/checkout leaves a header of its own in the repository's config; a second one would be refused.
  if (options.token && host && !(await hasExtraHeader(repo, host))) {
    const basic = Buffer.from(`x-access-token:${options.token}`).toString('base64');
    config.push(`http.https://${host}/.extraheader=AUTHORIZATION: basic ${basic}`);
  }
  const git = simpleGit({ baseDir: repo.top, config });
  for (const branch of branches) {
    try {
      await git.raw(['push', '--porcelain', options.remote, `refs/heads/${branch}:refs/heads/${branch}`]);
    } catch (error) {
      throw new UserError(`could not push ${branch} to ${options.remote}: ${redact(errorMessage(error), options.token).trim()}`, {
        hint: 'the commits are kept on the local branch; fix access to the remote and run `git push` again, or rerun with --push',
        exitCode: 1,
      });
    }
  }
}

async function hasExtraHeader(repo: GitRepository, host: string): Promise<boolean> {
  try {
    return (await repo.git.raw(['config', '--get-all', `http.https://${host}/.extraheader`])).trim() !== '';
  } catch {
    return false;
  }
}

function redact(text: string, token: string | undefined): string {
  return token ? text.split(token).join('***') : text;
}
