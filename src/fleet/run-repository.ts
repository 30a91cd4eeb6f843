/**
 * The one place the fleet drives a repository's run: in this process,
 * through the package's own `run` with the git steps attached, exactly as
 * `orchestrate run --pr --reporter json` does (settings, trust, lock, state,
 * commits, pushes and pull requests), then each phase's status and coverage
 * read from the state through `status`. No CLI process is started per
 * repository.
 *
 * Isolation: the run works on the clone named by `cwd` (the process's
 * working directory is never changed); the repository's environment is
 * given to the settings, the plan's `${VAR}` expansion, the git steps and the
 * reporter; anything the run throws ends this repository only, as a failed
 * result. A killed fleet kills every run with it; each run's lock then names
 * a dead process, and the next run of that clone takes it over and resumes
 * from the clone's state.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { run, type RunAttachment } from '../api/run.js';
import { status } from '../api/status.js';
import type { ApiWorld } from '../api/options.js';
import { renderDiagnostic } from '../config/diagnostics.js';
import { errorMessage, ExitCode, PlanError, UserError } from '../errors.js';
import type { Plan } from '../plan/types.js';
import { plainStyle } from '../plan/render/style.js';
import { loadPlanWithSettings, prepareSettings, trustHint, type PreparedSettings } from '../settings/prepare.js';
import type { Snapshot } from '../state/snapshot-schema.js';
import { enforceRefusals } from '../trust/enforce.js';
import { describeRefusal } from '../trust/policy.js';
import { createReporter } from '../ui/reporter.js';
import type { CoverageFigures } from './fleet-state.js';
import { redact } from './repository-env.js';

export interface RepositoryRunOptions {
  /** The built-in handlers, loaded once for the whole fleet. */
  world: ApiWorld;
  clone: string;
  planFile: string;
  /** The folder relative paths are read from (the fleet file's). */
  base: string;
  /** undefined: every phase. */
  phases: string[] | undefined;
  dryRun: boolean;
  branchPattern: string | undefined;
  draft: boolean;
  labels: string[];
  reviewers: string[];
  author: string | undefined;
  yes: boolean;
  token: string | undefined;
  /** The repository's environment (repositoryEnvironment). */
  env: Record<string, string | undefined>;
  /** The run's events (JSON lines) and git lines go here (appended), the token masked. */
  logFile: string;
  signal: AbortSignal;
}

export interface PhaseStatus {
  id: string;
  name: string;
  status: string;
  expected_coverage: CoverageFigures | null;
  measured_coverage: CoverageFigures | null;
}

export interface RepositoryRunResult {
  /** As `orchestrate run` would exit: 0, 1, 2, 3, 4 or 130. */
  exitCode: number;
  /** Why the run could not run or failed to finish its git steps, in one line. */
  error: string | undefined;
  /** A dry run's report with its diffs (the plain reporter's output); '' otherwise. */
  output: string;
  /** Each phase's status and coverage from the clone's state; undefined when the plan could not be loaded. */
  phases: PhaseStatus[] | undefined;
}

/** Run the plan in the clone as `orchestrate run --pr` (or `--dry-run`) would, in this process. */
export async function runRepository(options: RepositoryRunOptions): Promise<RepositoryRunResult> {
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const file = fs.createWriteStream(options.logFile, { flags: 'a' });
  // A log that cannot be written loses lines; it must not take the fleet's process down with it.
  file.on('error', () => undefined);
  const log = sink((text) => file.write(redact(text, options.token)));
  let output = '';
  const collected = sink((text) => (output += text));
  log.write(`\n$ orchestrate run ${options.phases?.length ? options.phases.map((id) => `--phase ${id}`).join(' ') : '--all'} ${options.dryRun ? '--dry-run' : '--pr'} --cwd ${options.clone}\n`);
  let exitCode: number = ExitCode.failed;
  let error: string | undefined;
  let phases: PhaseStatus[] | undefined;
  let prepared: PreparedSettings | undefined;
  try {
    prepared = await prepareSettings({
      // As flags: the fleet file's own outrank ORCHESTRATE_* and the settings files; what it leaves out, they decide.
      flags: { author: options.author, label: options.labels.length ? options.labels : undefined, reviewer: options.reviewers.length ? options.reviewers : undefined },
      config: options.planFile,
      cwd: options.clone,
      processCwd: options.base,
      env: options.env,
    });
    const loaded = await loadPlanWithSettings(prepared, options.world);
    const { settings, refusals } = loaded;
    const prepare = async ({ plan, snapshot }: { plan: Plan; snapshot: () => Snapshot }): Promise<RunAttachment> => {
      const { startGit } = await import('../git/run-git.js');
      const gitRun = await startGit({
        plan,
        env: options.env,
        flags: { pr: true, branch: options.branchPattern, draft: options.draft, label: settings.labels.value, reviewer: settings.reviewers.value, author: settings.author.value },
        dryRun: options.dryRun,
        snapshot,
        log: (line) => log.write(`${line}\n`),
      });
      for (const refusal of refusals) log.write(`untrusted: ${describeRefusal(refusal)}\n`);
      const stream = options.dryRun ? collected : log;
      const reporter = await createReporter(options.dryRun ? 'plain' : 'json', plan, { stream, style: plainStyle, verbose: false, stdout: stream, env: options.env });
      return {
        tracker: gitRun?.tracker,
        onEvent: (event) => {
          gitRun?.onEvent(event);
          reporter.onEvent(event);
        },
        finish: async (result, settled) => {
          await reporter.finish(result);
          // An interrupted run commits nothing: its phases' files stay in the clone for the next run.
          await gitRun?.finish(settled, result.status !== 'interrupted');
        },
        close: async () => reporter.close?.(),
      };
    };
    const result = await run(options.world, {
      config: options.planFile,
      cwd: options.clone,
      base: options.base,
      phases: options.phases,
      all: options.phases?.length ? undefined : true,
      dryRun: options.dryRun,
      concurrency: settings.concurrency.source === 'env' || settings.concurrency.source === 'flag' ? settings.concurrency.value : undefined,
      loaded,
      wrapHandlers: (handlerFor, plan) => enforceRefusals(plan, refusals, handlerFor, trustHint(settings)),
      yes: options.yes,
      signal: options.signal,
      onNotice: (notice) => log.write(`${notice.level}: ${notice.message}\n`),
      prepare,
      iterable: false,
      lockLabel: `orchestrate fleet run (${options.env.GITHUB_REPOSITORY ?? options.clone})`,
    }).result;
    exitCode = options.signal.aborted ? ExitCode.interrupted : result.exitCode;
  } catch (thrown) {
    exitCode = options.signal.aborted ? ExitCode.interrupted : thrown instanceof UserError ? thrown.exitCode : ExitCode.failed;
    error = describeError(thrown);
    if (thrown instanceof PlanError) for (const diagnostic of thrown.diagnostics) log.write(`${renderDiagnostic(diagnostic)}\n\n`);
    // The record keeps one line; the log keeps the whole message (a push's refusal names the remote's reason below it).
    log.write(`error: ${thrown instanceof PlanError ? error : errorMessage(thrown)}\n`);
    if (thrown instanceof UserError && thrown.hint) log.write(`hint: ${thrown.hint}\n`);
  } finally {
    await new Promise<void>((resolve) => file.end(resolve));
  }
  // Also after a run that threw (a push refused, say): its tasks' and checkpoints' outcomes are in the state.
  if (!options.dryRun && prepared) phases = await phaseStatuses(options.world, prepared);
  return { exitCode, error: error === undefined ? undefined : redact(error, options.token), output: redact(output, options.token), phases };
}

/** Each phase's status and coverage, as `orchestrate status --json` shows them; undefined when the state cannot be read. */
async function phaseStatuses(world: ApiWorld, prepared: PreparedSettings): Promise<PhaseStatus[] | undefined> {
  try {
    // Loaded here (from the plan cache): a run that threw may not have got as far as a loaded plan.
    const report = await status(world, { loaded: await loadPlanWithSettings(prepared, world) });
    return report.phases.map(({ id, name, status: shown, expected_coverage, measured_coverage }) => ({ id, name, status: shown, expected_coverage, measured_coverage }));
  } catch {
    return undefined;
  }
}

/** One line: a plan's problems counted with where the first is, else the message. */
function describeError(error: unknown): string {
  if (error instanceof PlanError) {
    const first = error.diagnostics[0];
    return first ? `${error.message}: ${first.file}:${first.line}:${first.column} ${first.message}` : error.message;
  }
  const message = error instanceof UserError ? error.message : `internal error: ${errorMessage(error)}`;
  return message.split('\n')[0] ?? message;
}

/** A stream that hands each chunk written to it to `write`, as text. */
function sink(write: (text: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      write(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      callback();
    },
  });
}
