/**
 * `orchestrate run`: load the plan, take the lock, resume from the state,
 * execute with a reporter, and turn Ctrl-C / SIGTERM into a clean stop
 * (children terminated, state marked interrupted, exit 130).
 */
import { stat } from 'node:fs/promises';
import ci from 'ci-info';
import { handlerFor } from '../../../handlers/registry.js';
import { ExitCode, UserError } from '../../errors.js';
import { execute } from '../../engine/executor.js';
import type { EngineEvent } from '../../engine/events.js';
import type { PromptAnswer, PromptRequest } from '../../engine/handler.js';
import { isPhaseDone, previousFromSnapshot } from '../../engine/previous.js';
import { killAllProcessGroups } from '../../engine/process.js';
import { foldInputFingerprints } from '../../engine/input-fingerprints.js';
import type { GitFlags, GitRun } from '../../git/run-git.js';
import { loadPlan } from '../../plan/load-plan.js';
import type { Plan } from '../../plan/types.js';
import { selectWork } from '../../plan/selection.js';
import { acquireLock } from '../../state/lock.js';
import { createRunId } from '../../state/run-log.js';
import { StateStore } from '../../state/store.js';
import { createReporter, defaultReporter, DRAWS_ON_STDERR, type Reporter, type ReporterName } from '../../ui/reporter.js';
import { Workspace } from '../../workspace/workspace.js';
import { keptOptions } from '../invocation.js';
import type { CliIo } from '../io.js';
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
}

/** Execute the selected work; resolves to the exit code. */
export async function runCommand(args: RunArgs, io: CliIo): Promise<number> {
  const { plan } = await loadPlan({ config: args.config, cwd: args.cwd, processCwd: io.cwd });
  await assertDirectory(plan.project.root);
  await foldInputFingerprints(plan, (type) => handlerFor(type));
  if (args.concurrency !== undefined && (!Number.isInteger(args.concurrency) || args.concurrency < 1)) {
    throw new UserError(`--concurrency must be a whole number of at least 1, not ${args.concurrency}`);
  }

  // The state is read under the lock, so no other run rewrites it meanwhile.
  const lock = args.dryRun ? undefined : await acquireLock(plan.project.root, { command: `orchestrate run ${describeSelection(args)}` });
  const store = StateStore.open(plan.project.root);
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

  try {
    for (const warning of [...(lock?.warnings ?? []), ...store.warnings]) io.stderr.write(`${io.err.yellow('warning:')} ${warning}\n`);
    const snapshot = store.snapshot;
    const earlier = previousFromSnapshot(plan, snapshot);
    // --force redoes the selected tasks; what else is done stays done, so a phase is still seen whole.
    const previous = earlier;
    const selection = selectWork(
      plan,
      { phases: args.phase, all: args.all, group: args.group, task: args.task, withDeps: args.withDeps },
      (id) => isPhaseDone(plan, earlier, id),
    );
    if (snapshot.planHash && snapshot.planHash !== plan.source.sha256 && !args.force) {
      io.stderr.write(`${io.err.yellow('note:')} ${plan.source.file} changed since the last run; tasks whose definition changed will run again\n`);
    }
    // Before the reporter draws: a refused dirty tree is a plain message.
    const gitRun = await startGitSteps(args, io, plan, () => store.snapshot);
    const reporterName = args.reporter ?? defaultReporter(io.env, io, ci.isCI);
    const onStderr = DRAWS_ON_STDERR.has(reporterName);
    reporter = await createReporter(reporterName, plan, {
      stream: onStderr ? io.stderr : io.stdout,
      style: onStderr ? io.err : io.out,
      verbose: args.verbose,
      stdout: io.stdout,
      env: io.env,
      recap: { keep: keptOptions(args), isPhaseDone: (id) => isPhaseDone(plan, previousFromSnapshot(plan, store.snapshot), id) },
    });
    const workspace = await Workspace.open(plan.project.root, { dryRun: args.dryRun });
    const interactive = process.stdin.isTTY === true && io.stderr.isTTY === true && !ci.isCI;
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
    const result = await execute(plan, selection, {
      runId: createRunId(),
      dryRun: args.dryRun,
      workspace,
      handlerFor: (type) => handlerFor(type),
      emit: (event) => {
        if (!args.dryRun) store.record(event);
        gitRun?.onEvent(event);
        if (held) held.push(event);
        else reporter?.onEvent(event);
      },
      signal: controller.signal,
      concurrency: args.concurrency,
      sequential: args.sequential,
      failFast: args.failFast,
      force: args.force,
      yes: args.yes,
      prompt: interactive ? holdingOutput(terminalPrompt(io.err)) : undefined,
      previous,
      planFile: plan.source.file,
      tracker: gitRun?.tracker,
      beforeWork: args.dryRun ? undefined : () => store.flush(),
    });
    await reporter.finish(result);
    reporter = undefined;
    // An interrupted run commits nothing: its phases' files stay in the working tree for the next run.
    await gitRun?.finish(store.snapshot, result.status !== 'interrupted');
    return result.exitCode;
  } finally {
    // A run that ended in an error: take the live tree off so the message shows whole.
    await reporter?.close?.();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // Children still ending keep this process alive; a signal now must end them at
    // once, not kill only us (the default) and leave them running without us.
    process.on('SIGINT', killLeftovers);
    process.on('SIGTERM', killLeftovers);
    store.close();
    await lock?.release();
    if (signals > 0) process.exitCode = ExitCode.interrupted;
  }
}

/** The git steps of the run, when a git flag asks for them or the target is a repository (the clean-tree check). */
async function startGitSteps(args: RunArgs, io: CliIo, plan: Plan, snapshot: () => StateStore['snapshot']): Promise<GitRun | undefined> {
  const { startGit, normaliseFlags } = await import('../../git/run-git.js');
  if (args.dryRun && normaliseFlags(args).commit) {
    io.stderr.write(`${io.err.yellow('note:')} a dry run makes no commits, branches, pushes or pull requests\n`);
  }
  return startGit({ plan, env: io.env, flags: args, dryRun: args.dryRun, snapshot, log: (line) => io.stderr.write(`${line}\n`) });
}

function killLeftovers(): void {
  killAllProcessGroups('SIGKILL');
  process.exitCode = ExitCode.interrupted;
}

async function assertDirectory(root: string): Promise<void> {
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new UserError(`the target repository ${root} does not exist or is not a directory`, {
      hint: 'set project.root in the plan, or pass --cwd DIR',
    });
  }
}

function describeSelection(args: RunArgs): string {
  if (args.task?.length) return `--task ${args.task.join(',')}`;
  if (args.phase?.length) return `--phase ${args.phase.join(',')}`;
  return args.all ? '--all' : '';
}
