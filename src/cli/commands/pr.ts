/**
 * `orchestrate pr --phase N`: open or update the pull request of a phase's
 * branch from the branch and the state snapshot alone, without running
 * anything; the retry for a run whose commits and push worked but whose pull
 * request did not.
 */
import { ExitCode, UserError } from '../../errors.js';
import { assertBranchPattern, branchName, DEFAULT_BRANCH_PATTERN } from '../../git/branch-name.js';
import { stackedOn } from '../../git/phase-commits.js';
import { currentBranch, openRepository, resolveRef } from '../../git/repository.js';
import { StateStore } from '../../state/store.js';
import { loadPlanUnderSettings } from '../../settings/prepare.js';
import type { CliIo } from '../io.js';
import type { CliContext } from '../context.js';
import type { GlobalOptions } from '../main.js';

export interface PrArgs extends GlobalOptions {
  phase: string[];
  branch: string | undefined;
  base: string | undefined;
  push: boolean | undefined;
  remote: string;
  draft: boolean | undefined;
  label: string[] | undefined;
  reviewer: string[] | undefined;
  token: string | undefined;
}

/** Open or update the pull requests of the given phases; resolves to the exit code. */
export async function prCommand(args: PrArgs, io: CliIo, context: CliContext): Promise<number> {
  const { plan, settings } = await loadPlanUnderSettings(args, io, context);
  const pattern = args.branch || DEFAULT_BRANCH_PATTERN;
  assertBranchPattern(pattern);
  const repo = await openRepository(plan.project.root, io.env, 'orchestrate pr');
  const store = StateStore.open(plan.project.root);
  const snapshot = store.snapshot;
  for (const warning of store.warnings) io.stderr.write(`${io.err.yellow('warning:')} ${warning}\n`);

  const ids = args.phase.flatMap((value) => value.split(',')).map((id) => id.trim()).filter(Boolean);
  const branches = [];
  for (const id of ids) {
    const phase = plan.phases.find((candidate) => candidate.id === id);
    if (!phase) {
      throw new UserError(`the plan has no phase ${id}`, { hint: `its phases are ${plan.phases.map((p) => p.id).join(', ')}` });
    }
    const branch = branchName(pattern, phase);
    const known = (name: string) => resolveRef(repo, `refs/heads/${name}`).then(async (local) => local ?? resolveRef(repo, `refs/remotes/${args.remote}/${name}`));
    if (!(await known(branch))) {
      throw new UserError(`phase ${id} has no branch ${branch} in ${repo.top}`, {
        hint: `run it first with \`orchestrate run --phase ${id} --branch\`${args.branch ? ' (with the same pattern)' : ''}, or name the pattern it used with --branch`,
      });
    }
    const stacked = await stackedOn(plan, phase, pattern, known);
    const base = stacked?.branch ?? args.base ?? (await currentBranch(repo));
    if (!base) throw new UserError('the checkout is on no branch (detached HEAD), so the base of the pull request is unknown', { hint: 'pass --base BRANCH' });
    branches.push({ phaseId: id, branch, base });
  }

  if (args.push) {
    const { pushBranches } = await import('../../git/push.js');
    await pushBranches(repo, branches.map((entry) => entry.branch), { remote: args.remote, token: args.token ?? (io.env.GITHUB_ACTIONS === 'true' ? io.env.GITHUB_TOKEN : undefined) });
  }
  const { proposeBranches } = await import('../../git/pull-requests.js');
  const outcomes = await proposeBranches(repo, plan, snapshot, branches, {
    remote: args.remote,
    token: args.token,
    draft: args.draft === true,
    labels: settings.labels.value ?? [],
    reviewers: settings.reviewers.value ?? [],
    log: (line) => io.stdout.write(`${line}\n`),
  });
  const failed = outcomes.filter((outcome) => outcome.error);
  for (const outcome of failed) {
    io.stderr.write(`${io.err.red('error:')} phase ${outcome.phaseId}: ${outcome.error?.message ?? ''}\n`);
    if (outcome.error?.hint) io.stderr.write(`  ${outcome.error.hint}\n`);
  }
  return failed.length > 0 ? ExitCode.failed : ExitCode.ok;
}
