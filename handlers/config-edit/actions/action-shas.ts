/**
 * Looks up the commit SHA that an action's tag or branch points at through
 * the GitHub REST API (`GET /repos/{owner}/{repo}/commits/{ref}` answered as
 * a bare SHA), with the token of GITHUB_TOKEN or GH_TOKEN and the API address
 * of GITHUB_API_URL. Loaded, with octokit, only when pin_actions has SHAs to
 * find and a token to find them with.
 */
import { UserError } from '../../../src/errors.js';

/** SHAs found by `owner/repo@ref`, and notes on those not found (or why nothing was looked up). */
export async function lookUpShas(wanted: { repo: string; ref: string }[], signal: AbortSignal | undefined): Promise<{ shas: Record<string, string>; notes: string[] }> {
  const token = process.env.GITHUB_TOKEN || process.env.GH_TOKEN;
  if (!token) return { shas: {}, notes: [] };
  const { createClient } = await import('../../../src/git/github/client.js');
  const waits: string[] = [];
  const client = createClient({ token, baseUrl: process.env.GITHUB_API_URL || 'https://api.github.com', onWait: (message) => waits.push(message) });
  const shas: Record<string, string> = {};
  const notes: string[] = [];
  const keys = [...new Set(wanted.map((item) => `${item.repo}@${item.ref}`))];
  for (const key of keys) {
    const at = key.lastIndexOf('@');
    const [owner, repo] = key.slice(0, at).split('/') as [string, string];
    const ref = key.slice(at + 1);
    try {
      const answer = await client.rest.repos.getCommit({ owner, repo, ref, mediaType: { format: 'sha' }, request: { signal } });
      // Asked as a bare SHA; a server that answers with the commit as JSON is understood too.
      const data: unknown = answer.data;
      const sha = (typeof data === 'string' ? data : String((data as { sha?: unknown } | null)?.sha ?? '')).trim();
      if (/^[0-9a-f]{40}$/.test(sha)) shas[key] = sha;
      else notes.push(`GitHub answered ${key} with something that is not a commit SHA`);
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 404 || status === 422) notes.push(`${key}: GitHub knows no such repository or ref`);
      else if (status === 401) {
        throw new UserError('GitHub refused the token (401) while looking up action SHAs', {
          retryable: false,
          hint: 'Set GITHUB_TOKEN or GH_TOKEN to a valid token, or give the SHAs in params.shas and set lookup: false.',
        });
      } else throw new UserError(`looking up ${key} on GitHub failed: ${(error as Error).message}`, { hint: 'Try again later, or give the SHA in params.shas.' });
    }
  }
  return { shas, notes };
}
