/**
 * `fleet run`: every repository of the fleet cloned (shallow, cached), the
 * plan run in it by the same engine, in this process, as `run --pr` runs it,
 * its pull requests recorded.
 * Repositories run concurrently within the pacing: a concurrency, an open
 * pull-request cap and an hourly cap on new ones (a repository that would
 * pass a cap waits for a later run), in batches with a pause between them.
 * A failure in one repository never stops the others. Each repository's
 * record is written as it changes, so a fleet run killed at any point
 * resumes: every repository's run died with it, done repositories are left
 * alone, the rest run again (resuming from their own state), and an open
 * pull request is updated, never opened twice.
 */
import path from 'node:path';
import type { ApiWorld } from '../api/options.js';
import { errorMessage } from '../errors.js';
import type { GitHubClient } from '../git/github/client.js';
import { ensureClone } from './clone.js';
import { readRecord, repoKey, statePaths, writeRecord, type PhaseRecord, type RepositoryRecord } from './fleet-state.js';
import type { LoadedFleet } from './load-fleet.js';
import { PullRequestBudget } from './pacing.js';
import { phaseBranch, phasesFor, type PlanPhase } from './plan-phases.js';
import { pullRequestOf } from './pull-requests.js';
import type { FleetRepository } from './repositories.js';
import { repositoryPlan } from './repository-plan.js';
import { repositoryEnvironment } from './repository-env.js';
import { runRepository as runPlanIn } from './run-repository.js';

export interface FleetRunOptions {
  fleet: LoadedFleet;
  repositories: FleetRepository[];
  phases: PlanPhase[];
  /** The built-in handlers every repository's run uses (loaded once). */
  world: ApiWorld;
  dryRun: boolean;
  token: string | undefined;
  env: Record<string, string | undefined>;
  /** The API client (made on first use); undefined in a dry run. */
  client: (() => Promise<GitHubClient>) | undefined;
  /** A line for people, as each repository moves on. */
  log: (line: string) => void;
  /** A dry run's diffs of one repository. */
  showDryRun: (slug: string, output: string) => void;
  signal: AbortSignal;
}

export interface FleetRunSummary {
  records: RepositoryRecord[];
  /** Repositories that failed (their run, clone or pull requests). */
  failed: number;
  awaiting: number;
  deferred: number;
}

/** Run the fleet; resolves when every repository started has ended. */
export async function runFleet(options: FleetRunOptions): Promise<FleetRunSummary> {
  const { fleet } = options;
  const pacing = fleet.config.pacing ?? {};
  const concurrency = pacing.concurrency ?? 4;
  const records = new Map<string, RepositoryRecord>();
  const save = (record: RepositoryRecord) => {
    const saved = options.dryRun ? record : writeRecord(fleet.stateDir, record);
    records.set(record.repo, saved);
    return saved;
  };
  for (const repository of options.repositories) records.set(repository.slug, readRecord(fleet.stateDir, repository.slug));

  const client = options.dryRun ? undefined : await options.client?.();
  if (client) for (const repository of options.repositories) save(await refreshPullRequests(client, repository, records.get(repository.slug)!, options));
  const allPulls = [...records.values()].flatMap((record) => record.phases.flatMap((phase) => (phase.pr ? [phase.pr] : [])));
  const budget = new PullRequestBudget(
    { maxOpen: options.dryRun ? undefined : pacing.max_open_prs, maxPerHour: options.dryRun ? undefined : pacing.max_new_prs_per_hour },
    allPulls.filter((pull) => pull.state === 'open').length,
    allPulls.map((pull) => Date.parse(pull.created_at)),
  );

  const todo = options.repositories.filter((repository) => options.dryRun || records.get(repository.slug)?.status !== 'done');
  const skipped = options.repositories.length - todo.length;
  if (skipped > 0) options.log(`${skipped} repositor${skipped === 1 ? 'y is' : 'ies are'} done already`);
  const batchSize = pacing.batch_size ?? Math.max(1, todo.length);
  let deferring: string | undefined;
  for (let start = 0; start < todo.length && !options.signal.aborted; start += batchSize) {
    if (start > 0 && fleet.pauseMs > 0 && !deferring) {
      options.log(`pausing ${Math.round(fleet.pauseMs / 1000)} s before the next batch`);
      await sleep(fleet.pauseMs, options.signal);
    }
    const batch = todo.slice(start, start + batchSize);
    const inFlight = new Set<Promise<void>>();
    for (const repository of batch) {
      if (options.signal.aborted) break;
      const record = records.get(repository.slug)!;
      const need = deferring ? 0 : newPullRequests(repository, record, options);
      let reservation = deferring ? { ok: false as const, reason: deferring } : budget.reserve(need);
      while (!reservation.ok || inFlight.size >= concurrency) {
        if (inFlight.size === 0) break;
        await Promise.race(inFlight);
        if (!reservation.ok) reservation = budget.reserve(need);
      }
      if (!reservation.ok) {
        // Nothing is running that could free room: this and every later repository wait for a later run.
        deferring = reservation.reason;
        save({ ...record, status: 'deferred', detail: `waits for room: ${reservation.reason}` });
        continue;
      }
      const task = runRepository(repository, record, options, save)
        .then((ended) => budget.settle(need, openedBy(ended, record)))
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
    }
    await Promise.all(inFlight);
  }
  const final = options.repositories.map((repository) => records.get(repository.slug)!);
  const count = (status: RepositoryRecord['status']) => final.filter((record) => record.status === status).length;
  return { records: final, failed: count('failed'), awaiting: count('awaiting'), deferred: count('deferred') };
}

/** Pull requests this repository's run may open: one per phase it runs that has none open. */
function newPullRequests(repository: FleetRepository, record: RepositoryRecord, options: FleetRunOptions): number {
  return phasesFor(options.phases, repository.phases).filter((phase) => record.phases.find((p) => p.id === phase.id)?.pr?.state !== 'open').length;
}

/** When each pull request the run opened was opened (those not in the record before it). */
function openedBy(after: RepositoryRecord, before: RepositoryRecord): number[] {
  const known = new Set(before.phases.flatMap((phase) => (phase.pr ? [phase.pr.number] : [])));
  return after.phases.flatMap((phase) => (phase.pr && phase.pr.state === 'open' && !known.has(phase.pr.number) ? [Date.parse(phase.pr.created_at)] : []));
}

async function runRepository(repository: FleetRepository, before: RepositoryRecord, options: FleetRunOptions, save: (record: RepositoryRecord) => RepositoryRecord): Promise<RepositoryRecord> {
  const { fleet } = options;
  const paths = statePaths(fleet.stateDir);
  const clone = path.join(paths.clones, repository.owner, repository.name);
  const logFile = path.join(paths.logs, `${repoKey(repository.slug)}.log`);
  let record = before;
  try {
    // The pid is this process's: a fleet run killed took the repository's run with it.
    record = save({ ...record, status: 'running', detail: null, pid: process.pid, attempts: record.attempts + 1, started_at: new Date().toISOString(), finished_at: null, exit_code: null });
    await ensureClone({ url: repository.url, slug: repository.slug, dir: clone, token: options.token, env: options.env });
    const planFile = repositoryPlan(fleet.planFile, fleet.stateDir, repository);
    const pullRequests = fleet.config.pull_requests ?? {};
    const result = await runPlanIn({
      world: options.world,
      clone,
      planFile,
      base: path.dirname(fleet.file),
      phases: repository.phases,
      dryRun: options.dryRun,
      branchPattern: pullRequests.branch,
      draft: pullRequests.draft === true,
      labels: pullRequests.labels ?? [],
      reviewers: pullRequests.reviewers ?? [],
      author: fleet.config.author,
      yes: fleet.config.yes === true,
      token: options.token,
      env: repositoryEnvironment(options.env, repository.slug, options.token, repository.url),
      logFile,
      signal: options.signal,
    });
    if (options.dryRun) {
      options.showDryRun(repository.slug, result.output);
      return save({ ...record, status: result.exitCode === 0 ? 'done' : 'failed', detail: result.error ?? null, pid: null, exit_code: result.exitCode });
    }
    const client = await options.client?.();
    const phases: PhaseRecord[] = [];
    for (const phase of phasesFor(options.phases, repository.phases)) {
      const shown = result.phases?.find((candidate) => candidate.id === phase.id);
      const branch = phaseBranch(pullRequests.branch, phase);
      phases.push({
        id: phase.id,
        name: phase.name,
        status: shown?.status ?? 'unknown',
        branch,
        expected_coverage: shown?.expected_coverage ?? null,
        measured_coverage: shown?.measured_coverage ?? null,
        pr: client ? await pullRequestOf(client, repository.owner, repository.name, branch) : null,
      });
    }
    const status = result.exitCode === 0 ? 'done' : result.exitCode === 3 ? 'awaiting' : 'failed';
    const detail = status === 'done' ? null : (result.error ?? (status === 'awaiting' ? 'a manual step awaits a person' : `the run ended with exit code ${String(result.exitCode)}; see ${logFile}`));
    record = save({ ...record, status, detail, pid: null, exit_code: result.exitCode, finished_at: new Date().toISOString(), phases });
    options.log(`${repository.slug}: ${describe(record)}`);
    return record;
  } catch (error) {
    record = save({ ...record, status: 'failed', detail: errorMessage(error), pid: null, finished_at: new Date().toISOString() });
    options.log(`${repository.slug}: ${describe(record)}`);
    return record;
  }
}

/** Bring the recorded pull requests up to date (merged or closed since), and find those a killed run opened unrecorded. */
async function refreshPullRequests(client: GitHubClient, repository: FleetRepository, record: RepositoryRecord, options: FleetRunOptions): Promise<RepositoryRecord> {
  if (record.status === 'pending' && record.phases.length === 0) return record;
  const pattern = options.fleet.config.pull_requests?.branch;
  const phases: PhaseRecord[] = [];
  for (const phase of phasesFor(options.phases, repository.phases)) {
    const known = record.phases.find((p) => p.id === phase.id);
    const branch = phaseBranch(pattern, phase);
    const pr = await pullRequestOf(client, repository.owner, repository.name, branch);
    phases.push({ id: phase.id, name: phase.name, status: known?.status ?? 'unknown', branch, expected_coverage: known?.expected_coverage ?? null, measured_coverage: known?.measured_coverage ?? null, pr });
  }
  return { ...record, phases };
}

/** One line for a repository's outcome. */
export function describe(record: RepositoryRecord): string {
  const pulls = record.phases.flatMap((phase) => (phase.pr ? [`#${phase.pr.number} ${phase.pr.state}`] : []));
  const prs = pulls.length ? ` (pull request${pulls.length === 1 ? '' : 's'} ${pulls.join(', ')})` : '';
  return `${record.status}${prs}${record.detail ? `: ${record.detail}` : ''}`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
