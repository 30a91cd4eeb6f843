/**
 * Opens the pull request of a phase branch, or updates the one already open
 * for it (found by its head branch), so a rerun never makes a duplicate.
 */
import { UserError, errorMessage } from '../../errors.js';
import type { GitHubClient } from './client.js';
import type { GitHubTarget } from './target.js';

export interface PullRequestInput {
  head: string;
  base: string;
  title: string;
  body: string;
  draft: boolean;
  labels: string[];
  reviewers: string[];
}

export interface PullRequestResult {
  number: number;
  url: string;
  created: boolean;
}

/** Create or update the pull request from `head`; a UserError (exit 1) says what GitHub answered. */
export async function upsertPullRequest(client: GitHubClient, target: GitHubTarget, input: PullRequestInput): Promise<PullRequestResult> {
  const { owner, repo } = target;
  try {
    const open = await client.rest.pulls.list({ owner, repo, head: `${owner}:${input.head}`, state: 'open', per_page: 10 });
    const existing = open.data.find((pull) => pull.head.ref === input.head);
    let result: PullRequestResult;
    if (existing) {
      const updated = await client.rest.pulls.update({ owner, repo, pull_number: existing.number, title: input.title, body: input.body, base: input.base });
      result = { number: updated.data.number, url: updated.data.html_url, created: false };
    } else {
      const created = await client.rest.pulls.create({ owner, repo, head: input.head, base: input.base, title: input.title, body: input.body, draft: input.draft });
      result = { number: created.data.number, url: created.data.html_url, created: true };
    }
    if (input.labels.length > 0) await client.rest.issues.addLabels({ owner, repo, issue_number: result.number, labels: input.labels });
    if (input.reviewers.length > 0) await client.rest.pulls.requestReviewers({ owner, repo, pull_number: result.number, reviewers: input.reviewers });
    return result;
  } catch (error) {
    if (error instanceof UserError) throw error;
    const status = (error as { status?: number }).status;
    throw new UserError(`GitHub refused the pull request for ${input.head} into ${input.base}${status ? ` (HTTP ${status})` : ''}: ${errorMessage(error)}`, {
      hint: hintFor(status),
      exitCode: 1,
      cause: error,
    });
  }
}

function hintFor(status: number | undefined): string {
  if (status === 401) return 'the token is not valid: pass another with --token or GH_TOKEN';
  if (status === 403) return 'the token may lack the pull-requests: write permission (in Actions: `permissions: pull-requests: write`)';
  if (status === 404) return 'check the repository (GITHUB_REPOSITORY or the remote URL) and that the token can see it';
  if (status === 422) return 'GitHub found the request invalid: is the branch pushed (--push) and does the base branch exist on GitHub?';
  return 'the branch and its commits are kept; run `orchestrate pr --phase N` to try again';
}
