/**
 * Turns the units a run finished (phases, or groups) into commits. Without a
 * branch pattern the commits go on the checked-out branch, one after another,
 * and the index is brought up to date for their files. With one, each phase
 * gets its own branch: reused when it exists, else started from the branch
 * of a phase it depends on (stacked), else from the checked-out commit; the
 * checkout and the working tree are left as they are.
 */
import { readFileSync } from 'node:fs';
import { statePaths } from '../state/paths.js';
import type { Plan, PlannedPhase } from '../plan/types.js';
import type { Snapshot } from '../state/snapshot.js';
import { BugError } from '../errors.js';
import type { CapturedFile, CapturedUnit } from './change-capture.js';
import { buildCommit, moveBranch } from './commit-builder.js';
import { branchName } from './branch-name.js';
import { phaseReport, renderReport } from './phase-report.js';
import { commitAuthor, currentBranch, repoPath, resolveRef, type GitRepository } from './repository.js';

export interface CommitOptions {
  /** Set: a branch per phase under this pattern. Unset: commit on the checked-out branch. */
  branchPattern: string | undefined;
  author: string | undefined;
  /** Where a phase branch missing here may exist already (a fresh CI checkout): its remote-tracking branch is built on. */
  remote: string;
}

/** A phase's branch after the run, and what it was started from. */
export interface PhaseBranch {
  phaseId: string;
  branch: string;
  /** The branch a pull request of it should target. */
  base: string;
  /** Commits made by this run, oldest first (none when nothing of it changed). */
  commits: string[];
}

export interface CommitSummary {
  /** One per phase that finished, in the order they finished. */
  phases: PhaseBranch[];
  /** The checked-out branch, or undefined on a detached HEAD. */
  startBranch: string | undefined;
}

/** Make the commits of a run; `snapshot` is the state after it. */
export async function commitUnits(repo: GitRepository, plan: Plan, units: CapturedUnit[], snapshot: Snapshot, options: CommitOptions): Promise<CommitSummary> {
  const { author, committer } = await commitAuthor(repo, options.author);
  const startBranch = await currentBranch(repo);
  const head = await resolveRef(repo, 'HEAD');
  const state = stateFile(repo);
  const tips = new Map<string, string | undefined>();
  const localTip = async (branch: string) => (tips.has(branch) ? tips.get(branch) : resolveRef(repo, `refs/heads/${branch}`));
  const tipOf = async (branch: string) => (await localTip(branch)) ?? (await resolveRef(repo, `refs/remotes/${options.remote}/${branch}`));
  const byPhase = new Map<string, PhaseBranch>();
  const touched = new Set<string>();

  for (const unit of units) {
    const phase = phaseOf(plan, unit.phaseId);
    let branch: string;
    let base: string;
    let parent: string | undefined;
    if (options.branchPattern === undefined) {
      branch = startBranch ?? 'HEAD';
      base = branch;
      parent = tips.has(branch) ? tips.get(branch) : head;
    } else {
      branch = branchName(options.branchPattern, phase);
      const stacked = await stackedOn(plan, phase, options.branchPattern, tipOf);
      base = stacked?.branch ?? startBranch ?? 'HEAD';
      parent = (await tipOf(branch)) ?? stacked?.tip ?? head;
    }
    const files = new Map([...unit.files].map(([file, content]) => [repoPath(repo, file), content] as const));
    const report = phaseReport({ plan, phase, groupId: unit.groupId, snapshot, branch, base });
    const message = `${(await renderReport('commit-message', report)).replace(/[ \t]+$/gm, '').trim()}\n`;
    const commit = await buildCommit(repo, { parent, files, extra: state, message, author, committer });
    const entry = byPhase.get(phase.id) ?? { phaseId: phase.id, branch, base, commits: [] };
    byPhase.set(phase.id, entry);
    if (commit === undefined) {
      if (!tips.has(branch)) tips.set(branch, parent);
      continue;
    }
    const previousTip = await localTip(branch);
    await moveBranch(repo, branch, commit, previousTip, `orchestrate: phase ${phase.id}`);
    tips.set(branch, commit);
    entry.commits.push(commit);
    for (const file of [...files.keys(), ...state.keys()]) touched.add(file);
  }

  // The checked-out branch moved under the index: make the index agree for the files committed.
  const checkedOut = startBranch ?? 'HEAD';
  if (tips.get(checkedOut) !== undefined && tips.get(checkedOut) !== head && touched.size > 0) {
    await repo.git.raw(['reset', '-q', 'HEAD', '--', ...touched]);
  }
  return { phases: [...byPhase.values()], startBranch };
}

/** The branch of the nearest phase this one depends on that has one (searching its dependencies breadth-first). */
export async function stackedOn(
  plan: Plan,
  phase: PlannedPhase,
  pattern: string,
  tipOf: (branch: string) => Promise<string | undefined>,
): Promise<{ branch: string; tip: string } | undefined> {
  const queue = [...phase.dependsOn];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    const dependency = phaseOf(plan, id);
    const branch = branchName(pattern, dependency);
    const tip = await tipOf(branch);
    if (tip) return { branch, tip };
    queue.push(...dependency.dependsOn);
  }
  return undefined;
}

function phaseOf(plan: Plan, id: string): PlannedPhase {
  const phase = plan.phases.find((candidate) => candidate.id === id);
  if (!phase) throw new BugError(`no phase ${id} in the plan`);
  return phase;
}

/** `.orchestrate/state.json` as it is now (the lock and the run logs are never committed). */
function stateFile(repo: GitRepository): Map<string, CapturedFile> {
  const file = statePaths(repo.root).stateFile;
  try {
    return new Map([[repoPath(repo, '.orchestrate/state.json'), { content: readFileSync(file), executable: false }]]);
  } catch {
    return new Map();
  }
}
