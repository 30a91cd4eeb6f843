/**
 * Where a fleet stands: repositories x phases with each phase's pull request
 * (brought up to date from GitHub when a client is given), the checks on its
 * head, and coverage promised against measured; counts per state; and the
 * burndown (merged / open / failed / not started over time) rebuilt from the
 * recorded history and the pull requests' own times.
 */
import type { GitHubClient } from '../git/github/client.js';
import { emptyRecord, type CoverageFigures, type PullRequestRecord, type RepositoryRecord } from './fleet-state.js';
import { phaseBranch, phasesFor, type PlanPhase } from './plan-phases.js';
import { checksOf, pullRequestOf, type ChecksSummary } from './pull-requests.js';
import type { FleetRepository } from './repositories.js';

export type BurndownState = 'merged' | 'open' | 'failed' | 'not_started';

export interface PhaseStatusRow {
  id: string;
  name: string;
  status: string;
  branch: string;
  pr: PullRequestRecord | null;
  checks: ChecksSummary | null;
  coverage: Array<{ metric: string; expected: number | null; measured: number | null }>;
}

export interface RepositoryStatusRow {
  repo: string;
  status: RepositoryRecord['status'];
  state: BurndownState;
  detail: string | null;
  phases: PhaseStatusRow[];
}

export interface BurndownPoint {
  at: string;
  merged: number;
  open: number;
  failed: number;
  not_started: number;
}

export interface FleetStatus {
  fleet: string;
  generated_at: string;
  counts: Record<BurndownState, number>;
  repositories: RepositoryStatusRow[];
  burndown: BurndownPoint[];
}

export interface FleetStatusOptions {
  name: string;
  repositories: FleetRepository[];
  phases: PlanPhase[];
  records: RepositoryRecord[];
  client: GitHubClient | undefined;
  branchPattern: string | undefined;
  now?: Date;
}

/** Build the status; asks GitHub (when a client is given) for each known pull request and its checks. */
export async function buildFleetStatus(options: FleetStatusOptions): Promise<FleetStatus> {
  const now = options.now ?? new Date();
  const bySlug = new Map(options.records.map((record) => [record.repo.toLowerCase(), record]));
  const rows: RepositoryStatusRow[] = [];
  for (const repository of options.repositories) {
    const record = bySlug.get(repository.slug.toLowerCase()) ?? emptyRecord(repository.slug);
    const phases: PhaseStatusRow[] = [];
    for (const phase of phasesFor(options.phases, repository.phases)) {
      const known = record.phases.find((candidate) => candidate.id === phase.id);
      const branch = known?.branch ?? phaseBranch(options.branchPattern, phase);
      let pr = known?.pr ?? null;
      let checks: ChecksSummary | null = null;
      if (options.client) {
        pr = (await pullRequestOf(options.client, repository.owner, repository.name, branch)) ?? pr;
        if (pr?.state === 'open') checks = await checksOf(options.client, repository.owner, repository.name, pr.head_sha);
      }
      phases.push({ id: phase.id, name: phase.name, status: known?.status ?? 'pending', branch, pr, checks, coverage: coverageRows(known?.expected_coverage ?? null, known?.measured_coverage ?? null) });
    }
    const pulls = phases.flatMap((phase) => (phase.pr ? [phase.pr] : []));
    rows.push({ repo: repository.slug, status: record.status, state: stateAt(record, pulls, now.getTime()), detail: record.detail, phases });
  }
  const counts = { merged: 0, open: 0, failed: 0, not_started: 0 };
  for (const row of rows) counts[row.state]++;
  return { fleet: options.name, generated_at: now.toISOString(), counts, repositories: rows, burndown: burndown(rows, bySlug, now) };
}

function coverageRows(expected: CoverageFigures | null, measured: CoverageFigures | null): PhaseStatusRow['coverage'] {
  const metrics = new Set([...Object.keys(expected ?? {}), ...Object.keys(measured ?? {})]) as Set<keyof CoverageFigures>;
  return [...metrics].map((metric) => ({ metric, expected: expected?.[metric] ?? null, measured: measured?.[metric] ?? null }));
}

/** Where a repository stood at `time` (ms), from its history and its pull requests' times. */
function stateAt(record: RepositoryRecord, pulls: readonly PullRequestRecord[], time: number): BurndownState {
  const status = [...record.history].reverse().find((entry) => Date.parse(entry.at) <= time)?.status ?? 'pending';
  const seen = pulls.filter((pull) => Date.parse(pull.created_at) <= time);
  const ended = (at: string | null) => at !== null && Date.parse(at) <= time;
  if (seen.some((pull) => !ended(pull.merged_at) && !ended(pull.closed_at))) return 'open';
  if (status === 'failed') return 'failed';
  // A repository with no record here (run by another machine) but every pull request merged is through too.
  if ((status === 'done' || (status === 'pending' && seen.length > 0)) && seen.every((pull) => ended(pull.merged_at))) return 'merged';
  return 'not_started';
}

/** The states over time, at each recorded change (at most 24 points, the last one now). */
function burndown(rows: readonly RepositoryStatusRow[], records: Map<string, RepositoryRecord>, now: Date): BurndownPoint[] {
  const times = new Set<number>();
  for (const row of rows) {
    for (const entry of records.get(row.repo.toLowerCase())?.history ?? []) times.add(Date.parse(entry.at));
    for (const phase of row.phases) for (const at of [phase.pr?.created_at, phase.pr?.merged_at, phase.pr?.closed_at]) if (at) times.add(Date.parse(at));
  }
  times.add(now.getTime());
  let sorted = [...times].filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length > 24) sorted = Array.from({ length: 24 }, (_, i) => sorted[Math.round((i * (sorted.length - 1)) / 23)]!);
  return sorted.map((time) => {
    const point: BurndownPoint = { at: new Date(time).toISOString(), merged: 0, open: 0, failed: 0, not_started: 0 };
    for (const row of rows) {
      const record = records.get(row.repo.toLowerCase()) ?? emptyRecord(row.repo);
      point[stateAt(record, row.phases.flatMap((phase) => (phase.pr ? [phase.pr] : [])), time)]++;
    }
    return point;
  });
}
