/**
 * Which GitHub repository and token a pull request goes to: GITHUB_REPOSITORY
 * and GITHUB_TOKEN in GitHub Actions, else the owner/name read from the
 * remote's URL and --token or GH_TOKEN. The API address is GITHUB_API_URL
 * when set (GitHub Enterprise), else https://api.github.com.
 */
import { UserError } from '../../errors.js';
import type { GitRepository } from '../repository.js';

export interface GitHubTarget {
  owner: string;
  repo: string;
  token: string;
  baseUrl: string;
}

/** Work out the repository, token and API address; a UserError says what is missing. */
export async function gitHubTarget(repo: GitRepository, remote: string, token: string | undefined): Promise<GitHubTarget> {
  const env = repo.env;
  const chosenToken = token || env.GITHUB_TOKEN || env.GH_TOKEN;
  if (!chosenToken) {
    throw new UserError('--pr needs a GitHub token, and none was given', {
      hint: 'pass --token, or set GH_TOKEN (GITHUB_TOKEN in GitHub Actions); it needs the contents and pull-requests write permissions',
    });
  }
  const baseUrl = env.GITHUB_API_URL || 'https://api.github.com';
  const slug = env.GITHUB_REPOSITORY || (await slugFromRemote(repo, remote));
  const [owner, name, ...rest] = slug.split('/');
  if (!owner || !name || rest.length > 0) {
    throw new UserError(`GITHUB_REPOSITORY is "${slug}", not owner/name`, { hint: 'set it to the repository, for example octo-org/service' });
  }
  return { owner, repo: name, token: chosenToken, baseUrl };
}

/** owner/name from a GitHub remote URL (https, ssh or scp-like). */
export function parseRemoteUrl(url: string): string | undefined {
  const match = /^(?:https?:\/\/(?:[^@/]+@)?[^/]+\/|ssh:\/\/(?:[^@/]+@)?[^/]+\/|[^@\s]+@[^:\s]+:)([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/.exec(url.trim());
  return match?.[1] && match[2] ? `${match[1]}/${match[2]}` : undefined;
}

async function slugFromRemote(repo: GitRepository, remote: string): Promise<string> {
  let url: string;
  try {
    url = (await repo.git.raw(['remote', 'get-url', remote])).trim();
  } catch {
    throw new UserError(`--pr cannot tell the GitHub repository: no GITHUB_REPOSITORY and no remote named "${remote}"`, {
      hint: 'set GITHUB_REPOSITORY=owner/name, or add the remote (`git remote add origin https://github.com/owner/name.git`)',
    });
  }
  const slug = parseRemoteUrl(url);
  if (!slug) {
    throw new UserError(`--pr cannot read owner/name from the URL of remote "${remote}" (${url})`, {
      hint: 'set GITHUB_REPOSITORY=owner/name',
    });
  }
  return slug;
}
