/**
 * `fleet merge` and `fleet close`: the fleet's open pull requests (found by
 * their phase branches), merged when their checks passed, by the method the
 * fleet names or else the first the repository allows (merge, squash,
 * rebase); or closed with a comment. One repository's failure never stops
 * the others; each is reported.
 */
import { errorMessage } from '../errors.js';
import type { GitHubClient } from '../git/github/client.js';
import { phaseBranch, phasesFor, type PlanPhase } from './plan-phases.js';
import { checksOf, pullRequestOf } from './pull-requests.js';
import type { FleetRepository } from './repositories.js';

interface Common {
  client: GitHubClient;
  repositories: FleetRepository[];
  phases: PlanPhase[];
  branchPattern: string | undefined;
  dryRun: boolean;
  log: (line: string) => void;
}

export interface Tally {
  done: number;
  waiting: number;
  failed: number;
}

type MergeMethod = 'merge' | 'squash' | 'rebase';

/** Merge each open pull request of the fleet whose checks passed (or that has none), phase by phase. */
export async function mergePassed(options: Common & { mergeMethod: MergeMethod | undefined }): Promise<Tally> {
  const tally: Tally = { done: 0, waiting: 0, failed: 0 };
  const { client } = options;
  for (const repository of options.repositories) {
    const { owner, name } = repository;
    let method = options.mergeMethod;
    for (const phase of phasesFor(options.phases, repository.phases)) {
      const where = `${repository.slug} phase ${phase.id}`;
      try {
        const pr = await pullRequestOf(client, owner, name, phaseBranch(options.branchPattern, phase));
        if (pr?.state !== 'open') continue;
        const checks = await checksOf(client, owner, name, pr.head_sha);
        if (checks.state === 'failure' || checks.state === 'pending') {
          tally.waiting++;
          options.log(`${where}: #${pr.number} not merged, checks ${checks.state} (${checks.detail})`);
          continue;
        }
        method ??= await repositoryMergeMethod(client, owner, name);
        if (!options.dryRun) await client.rest.pulls.merge({ owner, repo: name, pull_number: pr.number, merge_method: method, sha: pr.head_sha });
        tally.done++;
        options.log(`${where}: #${pr.number} ${options.dryRun ? 'would be merged' : 'merged'} (${method})`);
      } catch (error) {
        tally.failed++;
        options.log(`${where}: could not merge: ${errorMessage(error)}`);
      }
    }
  }
  return tally;
}

/** Close each open pull request of the fleet, leaving the comment on it first. */
export async function closeOpen(options: Common & { comment: string }): Promise<Tally> {
  const tally: Tally = { done: 0, waiting: 0, failed: 0 };
  const { client } = options;
  for (const repository of options.repositories) {
    const { owner, name } = repository;
    for (const phase of phasesFor(options.phases, repository.phases)) {
      const where = `${repository.slug} phase ${phase.id}`;
      try {
        const pr = await pullRequestOf(client, owner, name, phaseBranch(options.branchPattern, phase));
        if (pr?.state !== 'open') continue;
        if (!options.dryRun) {
          await client.rest.issues.createComment({ owner, repo: name, issue_number: pr.number, body: options.comment });
          await client.rest.pulls.update({ owner, repo: name, pull_number: pr.number, state: 'closed' });
        }
        tally.done++;
        options.log(`${where}: #${pr.number} ${options.dryRun ? 'would be closed' : 'closed'}`);
      } catch (error) {
        tally.failed++;
        options.log(`${where}: could not close: ${errorMessage(error)}`);
      }
    }
  }
  return tally;
}

/** The first merge method the repository allows, of merge, squash and rebase. */
async function repositoryMergeMethod(client: GitHubClient, owner: string, repo: string): Promise<MergeMethod> {
  const { data } = await client.rest.repos.get({ owner, repo });
  if (data.allow_merge_commit !== false) return 'merge';
  if (data.allow_squash_merge !== false) return 'squash';
  return 'rebase';
}
