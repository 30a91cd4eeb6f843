/**
 * `orchestrate run`: load the plan, take the lock, resume from the state,
 * execute with a reporter, and turn Ctrl-C / SIGTERM into a clean stop
 * (children terminated, state marked interrupted, exit 130).
 */
import path from 'node:path';
import ci from 'ci-info';
import { run, type RunAttachment } from '../../api/run.js';
import { ExitCode, UserError } from '../../errors.js';
import { formatShard, parseShard, type Shard } from '../../plan/shard.js';
import type { EngineEvent } from '../../engine/events.js';
import type { PromptAnswer, PromptRequest } from '../../engine/handler.js';
import { isPhaseDone, previousFromSnapshot } from '../../engine/previous.js';
import { killAllProcessGroups } from '../../engine/process.js';
import { normaliseFlags, type GitFlags } from '../../git/flags.js';
import type { GitRun } from '../../git/run-git.js';
import type { Plan } from '../../plan/types.js';
import type { Snapshot } from '../../state/snapshot-schema.js';
import { loadPlanWithSettings, prepareSettings, trustHint } from '../../settings/prepare.js';
import { enforceRefusals } from '../../trust/enforce.js';
import { describeRefusal } from '../../trust/policy.js';
import { createReporter, defaultReporter, DRAWS_ON_STDERR, preloadReporter, type Reporter, type ReporterName } from '../../ui/reporter.js';
import { keptOptions, suggest } from '../invocation.js';
import type { CliIo } from '../io.js';
import type { CliContext } from '../context.js';
import type { GlobalOptions } from '../main.js';
import { terminalPrompt } from '../prompt.js';

export interface RunArgs extends GlobalOptions, GitFlags {
  phase: string[] | undefined;
  all: boolean | undefined;
  group: string | undefined;
  task: string[] | undefined;
  dryRun: boolean;
  sequential: boolean;
  concurrency: number | undefined;
  failFast: boolean | undefined;
  force: boolean;
  yes: boolean;
  withDeps: boolean;
  reporter: ReporterName | undefined;
  retries: number | undefined;
  timeout: string | undefined;
  shard: string | undefined;
}

/** Execute the selected work (the API's `run`, with a reporter and the git steps attached); resolves to the exit code. */
export async function runCommand(args: RunArgs, io: CliIo, context: CliContext): Promise<number> {
  // Settings: user file -> repository file -> plan defaults -> ORCHESTRATE_* -> flags; and the trust level.
  const shard = args.shard === undefined ? undefined : checkShardFlags(args);
  const prepared = await prepareSettings({ flags: args, config: args.config, cwd: args.cwd, processCwd: io.cwd, env: io.env, debug: (line) => io.stderr.write(`${line}\n`) });
  // The reporter is known now (the plan's layer does not choose it): its code loads while the plan does.
  preloadReporter(prepared.settings.reporter.value ?? defaultReporter(io.env, io, ci.isCI));
  const loaded = await loadPlanWithSettings(prepared, context);
  const { settings, refusals } = loaded;
  const controller = new AbortController();
  let signals = 0;
  let reporter: Reporter | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      // Take the live tree off first: its next redraw would erase a line written under it.
      reporter?.pause?.();
      io.stderr.write(`\n${io.err.yellow(`${signal}: stopping; running tasks are being cancelled (again to kill at once)`)}\n`);
      reporter?.resume?.();
      controller.abort(new Error(signal));
    } else {
      killAllProcessGroups('SIGKILL');
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // While a person answers a manual step, progress lines would land inside the question: hold them until the answer.
  let held: EngineEvent[] | undefined;
  const holdingOutput =
    (ask: (request: PromptRequest) => Promise<PromptAnswer>) =>
    async (request: PromptRequest): Promise<PromptAnswer> => {
      held = [];
      reporter?.pause?.();
      try {
        return await ask(request);
      } finally {
        reporter?.resume?.();
        const waiting = held;
        held = undefined;
        for (const event of waiting) reporter?.onEvent(event);
      }
    };
  const interactive = process.stdin.isTTY === true && io.stderr.isTTY === true && !ci.isCI;

  /**
   * Once the plan is known: the messages, then the reporter (the live tree
   * paints its first frame now, and nothing may be written under it), then
   * the git steps, which spawn git and so come after the first frame; a
   * refused dirty tree takes the tree off again, so its message stands alone.
   */
  const prepare = async ({ plan, snapshot }: { plan: Plan; snapshot: () => Snapshot }): Promise<RunAttachment> => {
    for (const refusal of refusals) io.stderr.write(`${io.err.yellow('untrusted:')} ${describeRefusal(refusal)}\n`);
    if (args.dryRun && normaliseFlags(args).commit) {
      io.stderr.write(`${io.err.yellow('note:')} a dry run makes no commits, branches, pushes or pull requests\n`);
    }
    const reporterName = settings.reporter.value ?? defaultReporter(io.env, io, ci.isCI);
    const onStderr = DRAWS_ON_STDERR.has(reporterName);
    reporter = await createReporter(reporterName, plan, {
      stream: onStderr ? io.stderr : io.stdout,
      style: onStderr ? io.err : io.out,
      verbose: args.verbose,
      stdout: io.stdout,
      env: io.env,
      recap: { keep: keptOptions(args), isPhaseDone: (id) => isPhaseDone(plan, previousFromSnapshot(plan, snapshot()), id) },
    });
    const gitFlags = { ...args, author: settings.author.value, label: settings.labels.value, reviewer: settings.reviewers.value };
    let gitRun: GitRun | undefined;
    try {
      gitRun = await startGitSteps(gitFlags, io, plan, snapshot);
    } catch (error) {
      reporter.pause?.();
      await reporter.close?.();
      reporter = undefined;
      throw error;
    }
    return {
      tracker: gitRun?.tracker,
      onEvent: (event) => {
        gitRun?.onEvent(event);
        if (held) held.push(event);
        else reporter?.onEvent(event);
      },
      finish: async (result, settled) => {
        await reporter?.finish(result);
        reporter = undefined;
        // An interrupted run commits nothing: its phases' files stay in the working tree for the next run.
        await gitRun?.finish(settled, result.status !== 'interrupted');
      },
      // A run that ended in an error: take the live tree off so the message shows whole.
      close: async () => reporter?.close?.(),
    };
  };

  try {
    const result = await run(context, {
      config: args.config,
      cwd: args.cwd,
      base: io.cwd,
      phases: args.phase,
      all: args.all,
      group: args.group,
      tasks: args.task,
      withDeps: args.withDeps,
      dryRun: args.dryRun,
      force: args.force,
      // A file's concurrency became the plan default; the environment's and the flag's are the run-wide limit.
      concurrency: settings.concurrency.source === 'env' || settings.concurrency.source === 'flag' ? settings.concurrency.value : undefined,
      loaded,
      wrapHandlers: (handlerFor, plan) => enforceRefusals(plan, refusals, handlerFor, trustHint(settings)),
      sequential: args.sequential,
      failFast: args.failFast,
      yes: args.yes,
      signal: controller.signal,
      prompt: interactive ? holdingOutput(terminalPrompt(io.err)) : undefined,
      onNotice: (notice) => io.stderr.write(`${notice.level === 'warning' ? io.err.yellow('warning:') : io.err.yellow('note:')} ${notice.message}\n`),
      prepare,
      iterable: false,
      lockLabel: `orchestrate run ${describeSelection(args)}${shard ? ` --shard ${formatShard(shard)}` : ''}`,
      shard,
    }).result;
    if (shard) reportShard(io, args, shard, result.shardResults);
    return result.exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // Children still ending keep this process alive; a signal now must end them at
    // once, not kill only us (the default) and leave them running without us.
    process.on('SIGINT', killLeftovers);
    process.on('SIGTERM', killLeftovers);
    if (signals > 0) process.exitCode = ExitCode.interrupted;
  }
}

/** The git steps of the run, when a git flag asks for them or the target is a repository (the clean-tree check). */
async function startGitSteps(args: RunArgs, io: CliIo, plan: Plan, snapshot: () => Snapshot): Promise<GitRun | undefined> {
  const { startGit } = await import('../../git/run-git.js');
  return startGit({ plan, env: io.env, flags: args, dryRun: args.dryRun, snapshot, log: (line) => io.stderr.write(`${line}\n`) });
}

/** `--shard i/n`, parsed; refused beside the git steps, which belong after merge-results. */
function checkShardFlags(args: RunArgs): Shard {
  const shard = parseShard(String(args.shard));
  const git = (['commit', 'branch', 'push', 'pr'] as const).filter((flag) => args[flag] !== undefined && args[flag] !== false);
  if (git.length > 0) {
    throw new UserError(`--shard cannot be used with ${git.map((flag) => `--${flag}`).join(', ')}: a shard holds only part of the run`, {
      hint: 'Run the shards without git options, then `orchestrate merge-results` their folders in one checkout and commit (or `run --commit --pr`) there.',
    });
  }
  return shard;
}

function reportShard(io: CliIo, args: RunArgs, shard: Shard, folder: string | undefined): void {
  if (args.dryRun) {
    io.stderr.write(`${io.err.yellow('note:')} shard ${formatShard(shard)}: the dry run shows this shard's share; checkpoints run after merge-results
`);
    return;
  }
  if (folder === undefined) return;
  const shown = path.relative(io.cwd, folder) || folder;
  io.stderr.write(`shard ${formatShard(shard)}: results in ${shown}; checkpoints run after merging every shard: ${suggest(args, 'merge-results <folders of the shards>')}
`);
}

function killLeftovers(): void {
  killAllProcessGroups('SIGKILL');
  process.exitCode = ExitCode.interrupted;
}

function describeSelection(args: RunArgs): string {
  if (args.task?.length) return `--task ${args.task.join(',')}`;
  if (args.phase?.length) return `--phase ${args.phase.join(',')}`;
  return args.all ? '--all' : '';
}
