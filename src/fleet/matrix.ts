/**
 * The fleet as a GitHub Actions matrix: one `include` entry per repository
 * still to do, or, past GitHub's 256 jobs per matrix, entries that each
 * carry a batch of repositories. Only as many repositories as the pacing
 * lets open pull requests now are included; `max-parallel` is the fleet's
 * concurrency.
 */
import type { GitHubClient } from '../git/github/client.js';
import type { Pacing } from './fleet-schema.js';
import { emptyRecord, type RepositoryRecord } from './fleet-state.js';
import { PullRequestBudget } from './pacing.js';
import { phaseBranch, phasesFor, type PlanPhase } from './plan-phases.js';
import { pullRequestOf } from './pull-requests.js';
import type { FleetRepository } from './repositories.js';

/** GitHub's limit of jobs one matrix may make. */
export const MAX_MATRIX_JOBS = 256;

export interface MatrixEntry {
  /** owner/name, or several joined by commas when batched: the value for `fleet run --only`. */
  repositories: string;
  /** A short name for the job. */
  name: string;
}

export interface FleetMatrix {
  matrix: { include: MatrixEntry[] };
  maxParallel: number;
  /** Repositories the matrix covers. */
  count: number;
  /** Why some repositories were left for later, if any were. */
  note: string | undefined;
}

export interface MatrixOptions {
  repositories: FleetRepository[];
  phases: PlanPhase[];
  records: RepositoryRecord[];
  pacing: Pacing;
  now: number;
}

/** The matrix for the repositories still to do, within the pacing. */
export function fleetMatrix(options: MatrixOptions): FleetMatrix {
  const records = new Map(options.records.map((record) => [record.repo.toLowerCase(), record]));
  const pulls = options.records.flatMap((record) => record.phases.flatMap((phase) => (phase.pr ? [phase.pr] : [])));
  const budget = new PullRequestBudget(
    { maxOpen: options.pacing.max_open_prs, maxPerHour: options.pacing.max_new_prs_per_hour },
    pulls.filter((pull) => pull.state === 'open').length,
    pulls.map((pull) => Date.parse(pull.created_at)),
    () => options.now,
  );
  const chosen: string[] = [];
  let note: string | undefined;
  for (const repository of options.repositories) {
    const record = records.get(repository.slug.toLowerCase());
    if (record?.status === 'done') continue;
    const need = phasesFor(options.phases, repository.phases).filter((phase) => record?.phases.find((p) => p.id === phase.id)?.pr?.state !== 'open').length;
    const reservation = budget.reserve(need);
    if (!reservation.ok) {
      note = `${options.repositories.length - options.repositories.indexOf(repository)} repositories left for a later run: ${reservation.reason}`;
      break;
    }
    chosen.push(repository.slug);
  }
  const perJob = Math.ceil(chosen.length / MAX_MATRIX_JOBS) || 1;
  const include: MatrixEntry[] = [];
  for (let i = 0; i < chosen.length; i += perJob) {
    const batch = chosen.slice(i, i + perJob);
    include.push({ repositories: batch.join(','), name: batch.length === 1 ? batch[0]! : `batch ${include.length + 1} (${batch.length} repositories)` });
  }
  return { matrix: { include }, maxParallel: options.pacing.concurrency ?? 4, count: chosen.length, note };
}

/**
 * The records as GitHub tells them: each repository's phase pull requests;
 * one whose every phase has an open or merged pull request is taken as done
 * (it has nothing left to open).
 */
export async function recordsFromGitHub(client: GitHubClient, repositories: FleetRepository[], phases: PlanPhase[], known: RepositoryRecord[], pattern: string | undefined): Promise<RepositoryRecord[]> {
  const out: RepositoryRecord[] = [];
  for (const repository of repositories) {
    const record = known.find((candidate) => candidate.repo.toLowerCase() === repository.slug.toLowerCase()) ?? emptyRecord(repository.slug);
    const rows: RepositoryRecord['phases'] = [];
    for (const phase of phasesFor(phases, repository.phases)) {
      const branch = phaseBranch(pattern, phase);
      const old = record.phases.find((candidate) => candidate.id === phase.id);
      rows.push({ id: phase.id, name: phase.name, status: old?.status ?? 'unknown', branch, expected_coverage: old?.expected_coverage ?? null, measured_coverage: old?.measured_coverage ?? null, pr: await pullRequestOf(client, repository.owner, repository.name, branch) });
    }
    const finished = rows.length > 0 && rows.every((row) => row.pr?.state === 'open' || row.pr?.state === 'merged');
    out.push({ ...record, phases: rows, status: finished ? 'done' : record.status });
  }
  return out;
}
