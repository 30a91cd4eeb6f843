/**
 * What `orchestrate run` does with git: before the run, the working-tree
 * check; during it, the capture of each finished phase's files; after it,
 * the commits, the branches, the push and the pull requests. The CLI calls
 * `startGit` once and `finish` after the run; nothing here prints.
 */
import path from 'node:path';
import type { ChangeTracker } from '../engine/change-tracker.js';
import { ExitCode, UserError } from '../errors.js';
import type { EngineEvent } from '../engine/events.js';
import type { Plan } from '../plan/types.js';
import type { Snapshot } from '../state/snapshot.js';
import { assertBranchPattern } from './branch-name.js';
import { ChangeCapture } from './change-capture.js';
import { normaliseFlags, type GitFlags } from './flags.js';
import { assertCleanTree } from './dirty-tree.js';
import { currentBranch, openRepository, parseIdentity, resolveRef, type GitRepository } from './repository.js';
import { clearPendingRecords, gitChangeTracker } from './tree-changes.js';
import { recordWorktree, updateWorktreeRecord } from './worktree-record.js';

export { normaliseFlags, type GitFlags } from './flags.js';

export interface GitRun {
  /** Credits command tasks with what they change in the working tree. */
  tracker: ChangeTracker;
  /** Feed every event of the run, after the state store recorded it. */
  onEvent(event: EngineEvent): void;
  /**
   * After the run: commits, push, pull requests (unless `commit` is false:
   * an interrupted run), then the record of the working tree for the next
   * run's check. Throws a UserError (exit 1) when a step fails, saying what was kept.
   */
  finish(snapshot: Snapshot, commit: boolean): Promise<void>;
}

export interface StartGitOptions {
  plan: Plan;
  env: Record<string, string | undefined>;
  flags: GitFlags;
  dryRun: boolean;
  /** The state as of the latest event. */
  snapshot: () => Snapshot;
  /** Progress lines for a person (commits made, pushes, pull requests). */
  log: (line: string) => void;
}

/**
 * Check the repository before a run and prepare its git steps; undefined
 * when there is nothing to do (a dry run, or no git flags in a directory
 * that is not a repository).
 */
export async function startGit(options: StartGitOptions): Promise<GitRun | undefined> {
  const flags = normaliseFlags(options.flags);
  const root = options.plan.project.root;
  if (flags.pattern !== undefined) assertBranchPattern(flags.pattern);
  if (flags.author !== undefined) parseIdentity(flags.author);
  if (options.dryRun) return undefined;
  let repo: GitRepository;
  try {
    repo = await openRepository(root, options.env, describeFlags(flags));
  } catch (error) {
    if (flags.commit) throw error;
    return undefined; // a plain run works outside git
  }
  if (!flags.allowDirty) await assertCleanTree(repo, taskFileTimes(options.snapshot()), planInputs(options.plan));
  const tracker = gitChangeTracker(repo);
  // Each task's files are recorded as it finishes, not only at the end: a run killed later leaves them known.
  let recording = Promise.resolve();
  const record = (event: EngineEvent) => {
    if (event.type !== 'task:finish' || event.files.length === 0) return;
    const files = event.files;
    recording = recording.then(() => updateWorktreeRecord(repo, files)).catch(() => undefined);
  };
  const recordAll = async () => {
    await recording;
    await recordWorktree(repo);
    clearPendingRecords(repo.root);
  };
  if (!flags.commit) return { tracker, onEvent: record, finish: recordAll };
  if (flags.pr) {
    if (!(await currentBranch(repo))) {
      throw new UserError('--pr: HEAD is detached, so there is no branch for the pull requests to target', {
        hint: 'check out the branch they should target first (for example `git switch main`)',
      });
    }
    // Known before the run, not after it: a missing token or repository stops nothing half-way.
    const { gitHubTarget } = await import('./github/target.js');
    await gitHubTarget(repo, flags.remote, flags.token);
  }
  const capture = new ChangeCapture(options.plan, root, flags.commitPer ?? 'phase', options.snapshot);
  return {
    tracker,
    onEvent: (event) => {
      record(event);
      capture.onEvent(event);
    },
    finish: async (snapshot, commit) => {
      try {
        await recording;
        if (commit) await commitAndPropose(repo, options, flags, capture, snapshot);
      } finally {
        await recordAll();
      }
    },
  };
}

async function commitAndPropose(
  repo: GitRepository,
  options: StartGitOptions,
  flags: ReturnType<typeof normaliseFlags>,
  capture: ChangeCapture,
  snapshot: Snapshot,
): Promise<void> {
  // Loaded only to commit: it brings the report template (handlebars), which a run without --commit never needs.
  const { commitUnits } = await import('./phase-commits.js');
  const summary = await commitUnits(repo, options.plan, capture.units, snapshot, {
    branchPattern: flags.pattern,
    author: flags.author,
    remote: flags.remote,
  });
  for (const phase of summary.phases) {
    const n = phase.commits.length;
    options.log(
      n === 0
        ? `phase ${phase.phaseId}: nothing new to commit on ${phase.branch}`
        : `phase ${phase.phaseId}: ${n} commit${n === 1 ? '' : 's'} on ${phase.branch} (${phase.commits.map((c) => c.slice(0, 7)).join(', ')})`,
    );
  }
  if (summary.phases.length === 0) return;
  if (flags.push) {
    const { pushBranches } = await import('./push.js');
    // A branch reused from the remote without a new commit has no local ref and nothing to push.
    const branches: string[] = [];
    for (const branch of new Set(summary.phases.map((phase) => phase.branch))) {
      if (branch !== 'HEAD' && (await resolveRef(repo, `refs/heads/${branch}`))) branches.push(branch);
    }
    await pushBranches(repo, branches, {
      remote: flags.remote,
      token: options.env.GITHUB_ACTIONS === 'true' ? (flags.token ?? options.env.GITHUB_TOKEN) : flags.token,
    });
    if (branches.length > 0) options.log(`pushed ${branches.join(', ')} to ${flags.remote}`);
  }
  if (!flags.pr) return;
  const { proposeBranches } = await import('./pull-requests.js');
  const outcomes = await proposeBranches(repo, options.plan, snapshot, summary.phases, {
    remote: flags.remote,
    token: flags.token,
    draft: flags.draft === true,
    labels: flags.label ?? [],
    reviewers: flags.reviewer ?? [],
    log: options.log,
  });
  const failed = outcomes.filter((outcome) => outcome.error);
  if (failed.length === 0) return;
  const lines = failed.map((outcome) => `  phase ${outcome.phaseId}: ${outcome.error?.message ?? ''}${outcome.error?.hint ? ` (${outcome.error.hint})` : ''}`);
  throw new UserError(
    `the commits are made and pushed, but ${failed.length === 1 ? 'a pull request' : 'pull requests'} could not be opened:\n${lines.join('\n')}`,
    {
      hint: `nothing is lost: try again with ${failed.map((outcome) => `\`orchestrate pr --phase ${outcome.phaseId}\``).join(', ')}`,
      exitCode: ExitCode.failed,
    },
  );
}

/** Each file tasks recorded as written, with when the last of them finished (ms). */
function taskFileTimes(snapshot: Snapshot): Map<string, number> {
  const times = new Map<string, number>();
  for (const task of Object.values(snapshot.tasks)) {
    const finished = task.finishedAt ? Date.parse(task.finishedAt) : 0;
    for (const file of task.files) times.set(file, Math.max(times.get(file) ?? 0, finished));
  }
  return times;
}

/** The plan file and its templates folder, root-relative, when they lie inside the target. */
function planInputs(plan: Plan): string[] {
  const inside = (absolute: string) => {
    const relative = path.relative(plan.project.root, absolute).split(path.sep).join('/');
    return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : undefined;
  };
  const file = inside(plan.source.file);
  const templates = plan.templatesDir === undefined ? undefined : inside(plan.templatesDir);
  return [...(file ? [file] : []), ...(templates ? [`${templates}/`] : [])];
}

function describeFlags(flags: ReturnType<typeof normaliseFlags>): string {
  if (flags.pr) return '--pr';
  if (flags.push) return '--push';
  if (flags.pattern !== undefined) return '--branch';
  return '--commit';
}
