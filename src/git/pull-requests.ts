/**
 * The pull-request step of a rollout, shared by `run --pr` and `orchestrate
 * pr`: for each phase branch, the report (tasks, diffstat, checkpoints,
 * coverage, awaiting steps) rendered into title and body, then created or
 * updated on GitHub. One failure does not stop the others; all are reported.
 */
import { UserError, errorMessage } from '../errors.js';
import type { Plan } from '../plan/types.js';
import type { Snapshot } from '../state/snapshot.js';
import { diffStat } from './commit-builder.js';
import { phaseReport, renderReport } from './phase-report.js';
import { resolveRef, type GitRepository } from './repository.js';

export interface PullRequestOptions {
  remote: string;
  token: string | undefined;
  draft: boolean;
  labels: string[];
  reviewers: string[];
  /** Told about waits and each pull request opened or updated. */
  log: (line: string) => void;
}

export interface BranchToPropose {
  phaseId: string;
  branch: string;
  base: string;
}

export interface ProposalOutcome {
  phaseId: string;
  url?: string;
  created?: boolean;
  error?: UserError;
}

/** Open or update a pull request per branch; resolves to what happened to each. */
export async function proposeBranches(repo: GitRepository, plan: Plan, snapshot: Snapshot, branches: BranchToPropose[], options: PullRequestOptions): Promise<ProposalOutcome[]> {
  const { createClient } = await import('./github/client.js');
  const { gitHubTarget } = await import('./github/target.js');
  const { upsertPullRequest } = await import('./github/pull-request.js');
  const target = await gitHubTarget(repo, options.remote, options.token);
  const client = createClient({ token: target.token, baseUrl: target.baseUrl, onWait: options.log });
  const outcomes: ProposalOutcome[] = [];
  for (const entry of branches) {
    try {
      const phase = plan.phases.find((candidate) => candidate.id === entry.phaseId);
      if (!phase) throw new UserError(`the plan has no phase ${entry.phaseId}`);
      const head = (await resolveRef(repo, `refs/heads/${entry.branch}`)) ?? (await resolveRef(repo, `refs/remotes/${options.remote}/${entry.branch}`));
      if (!head) {
        throw new UserError(`phase ${entry.phaseId} has no branch ${entry.branch} here`, { hint: 'run the phase with --branch (and --push) first', exitCode: 1 });
      }
      const baseCommit = (await resolveRef(repo, `refs/heads/${entry.base}`)) ?? (await resolveRef(repo, `refs/remotes/${options.remote}/${entry.base}`));
      const from = baseCommit ? (await repo.git.raw(['merge-base', baseCommit, head])).trim() : undefined;
      const report = phaseReport({ plan, phase, snapshot, branch: entry.branch, base: entry.base, diffstat: from ? await diffStat(repo, from, head) : [] });
      const title = (await renderReport('pull-request-title', report)).trim();
      const body = (await renderReport('pull-request-body.md', report)).replace(/\n{3,}/g, '\n\n').trim();
      const result = await upsertPullRequest(client, target, { head: entry.branch, base: entry.base, title, body, draft: options.draft, labels: options.labels, reviewers: options.reviewers });
      options.log(`${result.created ? 'opened' : 'updated'} pull request #${result.number} for phase ${entry.phaseId}: ${result.url}`);
      outcomes.push({ phaseId: entry.phaseId, url: result.url, created: result.created });
    } catch (error) {
      const failure = error instanceof UserError ? error : new UserError(errorMessage(error), { exitCode: 1, cause: error });
      outcomes.push({ phaseId: entry.phaseId, error: failure });
    }
  }
  return outcomes;
}
