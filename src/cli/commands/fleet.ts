/**
 * `orchestrate fleet run|status|matrix|merge|close`: read the fleet file,
 * the token (flag or environment only) and the repositories, then hand over
 * to src/fleet/. Maps outcomes to exit codes: 0 all well, 1 a repository
 * failed, 2 bad usage or fleet file, 3 a repository awaits a person.
 */
import { setMaxListeners } from 'node:events';
import path from 'node:path';
import { ExitCode, UserError } from '../../errors.js';
import type { GitHubClient } from '../../git/github/client.js';
import { readAllRecords } from '../../fleet/fleet-state.js';
import { loadFleet, type LoadedFleet } from '../../fleet/load-fleet.js';
import { planPhases, type PlanPhase } from '../../fleet/plan-phases.js';
import { fleetRepositories, type FleetRepository } from '../../fleet/repositories.js';
import type { CliContext } from '../context.js';
import type { CliIo } from '../io.js';
import type { GlobalOptions } from '../main.js';

interface FleetArgs extends GlobalOptions {
  fleet: string;
  stateDir: string | undefined;
  only: string[] | undefined;
  token: string | undefined;
}

interface FleetContext {
  fleet: LoadedFleet;
  repositories: FleetRepository[];
  phases: PlanPhase[];
  token: string | undefined;
  client: () => Promise<GitHubClient>;
}

/** The fleet, its repositories (the API asked only for `select`), and a client made on first use. */
async function fleetContext(args: FleetArgs, io: CliIo, needToken: boolean): Promise<FleetContext> {
  const fleet = await loadFleet(args.fleet, io.cwd, args.stateDir);
  const token = args.token || io.env.GH_TOKEN || io.env.GITHUB_TOKEN || undefined;
  let made: GitHubClient | undefined;
  const client = async (): Promise<GitHubClient> => {
    if (!token) {
      throw new UserError('the fleet needs a GitHub token, and none was given', {
        hint: 'set GH_TOKEN (GITHUB_TOKEN in GitHub Actions) or pass --token; it needs contents and pull-requests write on every repository',
      });
    }
    const { createClient } = await import('../../git/github/client.js');
    made ??= createClient({ token, baseUrl: io.env.GITHUB_API_URL || 'https://api.github.com', onWait: (line) => io.stderr.write(`${io.err.yellow('note:')} ${line}\n`) });
    return made;
  };
  if (needToken) await client();
  let repositories = await fleetRepositories(fleet.config, io.env, fleet.config.select ? client : undefined);
  const only = (args.only ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
  if (only.length > 0) {
    const unknown = only.filter((slug) => !repositories.some((repository) => repository.slug.toLowerCase() === slug.toLowerCase()));
    if (unknown.length > 0) throw new UserError(`--only names ${unknown.join(', ')}, not in the fleet ${fleet.config.name}`, { hint: 'name repositories as owner/name, as the fleet file lists them' });
    repositories = repositories.filter((repository) => only.some((slug) => slug.toLowerCase() === repository.slug.toLowerCase()));
  }
  let phases: PlanPhase[];
  try {
    phases = planPhases(fleet.planFile);
  } catch {
    throw new UserError(`the fleet’s plan ${path.relative(io.cwd, fleet.planFile) || fleet.planFile} cannot be read`, { hint: 'check `plan:` in the fleet file (a path relative to it)' });
  }
  return { fleet, repositories, phases, token, client };
}

/** `fleet run` */
export async function fleetRunCommand(args: FleetArgs & { dryRun: boolean; json: boolean }, io: CliIo, world: CliContext): Promise<number> {
  const context = await fleetContext(args, io, !args.dryRun);
  // The plan is checked once for the whole fleet (its handlers loaded once, too); a repository's overrides are checked in its own run.
  const { validatePlan } = await import('../../api/load.js');
  const checked = await validatePlan(world, { config: context.fleet.planFile, base: io.cwd });
  if (!checked.valid) {
    const { renderDiagnostic } = await import('../../config/diagnostics.js');
    for (const diagnostic of checked.diagnostics) io.stderr.write(`${renderDiagnostic(diagnostic)}\n\n`);
    throw new UserError(`the fleet’s plan ${context.fleet.planFile} is not valid; nothing was run`, { hint: 'fix it (`orchestrate validate --config PLAN` shows the same) and run the fleet again' });
  }
  if (!args.dryRun && context.token) {
    // Every repository's push runs in this process: git gets the token as an auth header through the
    // environment (never a file or a command line), once for every https host of the fleet.
    const { gitAuthConfig, httpsHosts } = await import('../../fleet/repository-env.js');
    const hosts = httpsHosts(context.repositories.map((repository) => repository.url));
    if (hosts.length > 0) Object.assign(process.env, gitAuthConfig(hosts, context.token, process.env));
  }
  const { acquireLock } = await import('../../state/lock.js');
  const lock = args.dryRun ? undefined : await acquireLock(context.fleet.stateDir, { command: `orchestrate fleet run --fleet ${args.fleet}` });
  const controller = new AbortController();
  // Every repository's run listens on this one signal, and each run's lock on the process's exit: many by design, not a leak.
  const concurrency = context.fleet.config.pacing?.concurrency ?? 4;
  setMaxListeners(0, controller.signal);
  process.setMaxListeners(Math.max(process.getMaxListeners(), 10 + 2 * concurrency));
  const { killAllProcessGroups } = await import('../../engine/process.js');
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      // Asked twice: the repositories' commands are killed at once, as a second Ctrl-C does to `run`.
      killAllProcessGroups('SIGKILL');
      return;
    }
    io.stderr.write(`\n${io.err.yellow(`${signal}: stopping; the repositories running now are being stopped (again to kill their commands at once)`)}\n`);
    controller.abort(new Error(signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const { runFleet } = await import('../../fleet/fleet-run.js');
    const n = context.repositories.length;
    io.stderr.write(`fleet ${context.fleet.config.name}: ${n} repositor${n === 1 ? 'y' : 'ies'}${args.dryRun ? ' (dry run: nothing is committed, pushed or opened)' : ''}\n`);
    const summary = await runFleet({
      fleet: context.fleet,
      repositories: context.repositories,
      phases: context.phases,
      world,
      dryRun: args.dryRun,
      token: context.token,
      env: io.env,
      client: args.dryRun ? undefined : context.client,
      log: (line) => io.stderr.write(`${line}\n`),
      showDryRun: (slug, output) => io.stdout.write(`\n=== ${slug}\n${output.trimEnd()}\n`),
      signal: controller.signal,
    });
    const count = (status: string) => summary.records.filter((record) => record.status === status).length;
    const parts = [`${count('done')} done`, `${summary.failed} failed`, ...(summary.awaiting ? [`${summary.awaiting} awaiting a person`] : []), ...(summary.deferred ? [`${summary.deferred} waiting for the pacing (run again later)`] : [])];
    if (args.json) io.stdout.write(`${JSON.stringify({ fleet: context.fleet.config.name, repositories: summary.records }, null, 2)}\n`);
    io.stderr.write(`fleet ${context.fleet.config.name}: ${parts.join(', ')}\n`);
    if (controller.signal.aborted) return ExitCode.interrupted;
    return summary.failed > 0 ? ExitCode.failed : summary.awaiting > 0 ? ExitCode.awaiting : ExitCode.ok;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await lock?.release();
  }
}

/** `fleet status` */
export async function fleetStatusCommand(args: FleetArgs & { format: 'table' | 'json' | 'markdown'; offline: boolean }, io: CliIo): Promise<number> {
  const context = await fleetContext(args, io, false);
  const { buildFleetStatus } = await import('../../fleet/fleet-status.js');
  const { renderStatusTable, renderStatusMarkdown } = await import('../../fleet/render-status.js');
  const status = await buildFleetStatus({
    name: context.fleet.config.name,
    repositories: context.repositories,
    phases: context.phases,
    records: readAllRecords(context.fleet.stateDir),
    client: args.offline ? undefined : context.token ? await context.client() : undefined,
    branchPattern: context.fleet.config.pull_requests?.branch,
  });
  if (args.format === 'json') io.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
  else if (args.format === 'markdown') io.stdout.write(renderStatusMarkdown(status));
  else io.stdout.write(renderStatusTable(status));
  return 0;
}

/** `fleet matrix` */
export async function fleetMatrixCommand(args: FleetArgs & { githubOutput: boolean; offline: boolean }, io: CliIo): Promise<number> {
  const context = await fleetContext(args, io, false);
  const { fleetMatrix, recordsFromGitHub } = await import('../../fleet/matrix.js');
  let records = readAllRecords(context.fleet.stateDir);
  // A matrix job starts on a fresh runner: GitHub, not a state folder, knows which pull requests are open.
  if (!args.offline && context.token) {
    records = await recordsFromGitHub(await context.client(), context.repositories, context.phases, records, context.fleet.config.pull_requests?.branch);
  }
  const matrix = fleetMatrix({ repositories: context.repositories, phases: context.phases, records, pacing: context.fleet.config.pacing ?? {}, now: Date.now() });
  const json = JSON.stringify(matrix.matrix);
  io.stdout.write(`${json}\n`);
  if (matrix.note) io.stderr.write(`${io.err.yellow('note:')} ${matrix.note}\n`);
  if (args.githubOutput) {
    const file = io.env.GITHUB_OUTPUT;
    if (!file) throw new UserError('--github-output: GITHUB_OUTPUT is not set', { hint: 'use it in a GitHub Actions step, or leave it out and read stdout' });
    const { appendFileSync } = await import('node:fs');
    appendFileSync(file, `matrix=${json}\nmax-parallel=${matrix.maxParallel}\ncount=${matrix.count}\n`);
  }
  return 0;
}

/** `fleet merge` */
export async function fleetMergeCommand(args: FleetArgs & { dryRun: boolean }, io: CliIo): Promise<number> {
  const context = await fleetContext(args, io, true);
  const { mergePassed } = await import('../../fleet/merge-close.js');
  const outcome = await mergePassed({
    client: await context.client(),
    repositories: context.repositories,
    phases: context.phases,
    branchPattern: context.fleet.config.pull_requests?.branch,
    mergeMethod: context.fleet.config.pull_requests?.merge_method,
    dryRun: args.dryRun,
    log: (line) => io.stdout.write(`${line}\n`),
  });
  io.stderr.write(`${outcome.done} merged${args.dryRun ? ' (dry run: would be)' : ''}, ${outcome.waiting} waiting on checks, ${outcome.failed} could not be merged\n`);
  return outcome.failed > 0 ? ExitCode.failed : ExitCode.ok;
}

/** `fleet close` */
export async function fleetCloseCommand(args: FleetArgs & { dryRun: boolean; comment: string | undefined }, io: CliIo): Promise<number> {
  const context = await fleetContext(args, io, true);
  const { closeOpen } = await import('../../fleet/merge-close.js');
  const comment = args.comment ?? context.fleet.config.pull_requests?.close_comment ?? `Closed by \`orchestrate fleet close\`: the rollout ${context.fleet.config.name} is called off for this repository.`;
  const outcome = await closeOpen({
    client: await context.client(),
    repositories: context.repositories,
    phases: context.phases,
    branchPattern: context.fleet.config.pull_requests?.branch,
    comment,
    dryRun: args.dryRun,
    log: (line) => io.stdout.write(`${line}\n`),
  });
  io.stderr.write(`${outcome.done} closed${args.dryRun ? ' (dry run: would be)' : ''}, ${outcome.failed} could not be closed\n`);
  return outcome.failed > 0 ? ExitCode.failed : ExitCode.ok;
}
