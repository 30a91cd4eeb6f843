/**
 * What GitHub says about a fleet repository's pull requests: the one of each
 * phase branch (open, merged or closed), and the checks on its head commit
 * (the combined commit status and the check runs).
 */
import type { GitHubClient } from '../git/github/client.js';
import type { PullRequestRecord } from './fleet-state.js';

interface ListedPull {
  number: number;
  html_url: string;
  state: string;
  head: { ref: string; sha: string };
  base: { ref: string };
  created_at: string;
  merged_at?: string | null;
  closed_at?: string | null;
}

/** The pull request whose head is `branch` (the open one, else the latest), or null. */
export async function pullRequestOf(client: GitHubClient, owner: string, repo: string, branch: string): Promise<PullRequestRecord | null> {
  const { data } = await client.rest.pulls.list({ owner, repo, head: `${owner}:${branch}`, state: 'all', per_page: 20 });
  const pulls = (data as ListedPull[]).filter((pull) => pull.head.ref === branch);
  const chosen = pulls.find((pull) => pull.state === 'open') ?? pulls.sort((a, b) => b.number - a.number)[0];
  return chosen ? toRecord(chosen) : null;
}

export function toRecord(pull: ListedPull): PullRequestRecord {
  return {
    number: pull.number,
    url: pull.html_url,
    state: pull.merged_at ? 'merged' : pull.state === 'open' ? 'open' : 'closed',
    head_sha: pull.head.sha,
    base: pull.base.ref,
    created_at: pull.created_at,
    merged_at: pull.merged_at ?? null,
    closed_at: pull.closed_at ?? null,
  };
}

export type ChecksState = 'success' | 'failure' | 'pending' | 'none';

export interface ChecksSummary {
  state: ChecksState;
  /** e.g. "2 passed, 1 failed: lint". */
  detail: string;
}

/** The checks on a commit: its combined status and its check runs, folded into one state. */
export async function checksOf(client: GitHubClient, owner: string, repo: string, sha: string): Promise<ChecksSummary> {
  const combined = (await client.rest.repos.getCombinedStatusForRef({ owner, repo, ref: sha })).data;
  const runs = (await client.rest.checks.listForRef({ owner, repo, ref: sha, per_page: 100 })).data.check_runs;
  const results: Array<{ name: string; state: ChecksState }> = [
    ...combined.statuses.map((status) => ({ name: status.context, state: status.state === 'success' ? ('success' as const) : status.state === 'pending' ? ('pending' as const) : ('failure' as const) })),
    ...runs.map((run) => ({
      name: run.name,
      state:
        run.status !== 'completed' ? ('pending' as const)
        : run.conclusion === 'success' || run.conclusion === 'neutral' || run.conclusion === 'skipped' ? ('success' as const)
        : ('failure' as const),
    })),
  ];
  if (results.length === 0) return { state: 'none', detail: 'no checks' };
  const failed = results.filter((r) => r.state === 'failure');
  const pending = results.filter((r) => r.state === 'pending');
  const passed = results.length - failed.length - pending.length;
  const state: ChecksState = failed.length > 0 ? 'failure' : pending.length > 0 ? 'pending' : 'success';
  const parts = [`${passed} passed`, ...(failed.length ? [`${failed.length} failed: ${failed.map((r) => r.name).join(', ')}`] : []), ...(pending.length ? [`${pending.length} pending`] : [])];
  return { state, detail: parts.join(', ') };
}
