/**
 * The full command line, parsed by yargs: every command, its options, help,
 * examples, usage errors with a "did you mean". Loaded only when an invocation
 * is not a plain one (src/cli/plain-invocation.ts); each command's module
 * loads only when that command runs.
 */
import yargs, { type Argv } from 'yargs';
import { ExitCode, UserError } from '../errors.js';
import { registerFleetCommands } from './commands/fleet-commands.js';
import type { CliContext } from './context.js';
import type { CliIo } from './io.js';
import type { Command } from './main.js';
import { orchestrateVersion } from './version.js';

type Runner = (load: () => Promise<Command>) => (args: unknown) => Promise<void>;

/** Parse `argv` with yargs and run the command it names; resolves to the exit code, rejects with what the command or the parse threw. */
export async function parseAndRun(argv: string[], io: CliIo, context: CliContext): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const run: Runner =
    (load) =>
    async (args: unknown): Promise<void> => {
      const command = await load();
      const result = await command(args as never, io, context);
      exitCode = typeof result === 'number' ? result : ExitCode.ok;
    };
  await buildParser(argv, io, run).parseAsync();
  return exitCode;
}

/** The yargs parser of the whole CLI; `run` wraps each command's loader into its yargs handler. */
export function buildParser(argv: string[], io: CliIo, run: Runner): Argv {
  const parser = yargs(argv)
    .scriptName('orchestrate')
    .usage('$0 <command> [options]\n\nCarry out a rollout of CI and test-coverage improvements written as a plan (phases.yaml).')
    .option('config', { type: 'string', describe: 'Plan file (default config/phases.yaml, else phases.yaml)', global: true, group: GLOBAL })
    .option('cwd', { type: 'string', describe: 'Target repository (overrides project.root)', global: true, group: GLOBAL })
    .option('color', { type: 'boolean', describe: 'Force colour on (--no-color, or NO_COLOR, turns it off)', global: true, group: GLOBAL })
    .option('verbose', { type: 'boolean', default: false, describe: 'Show more detail', global: true, group: GLOBAL })
    .option('trust', {
      choices: ['trusted', 'untrusted'] as const,
      describe: 'untrusted: run no commands, shells or plugins beyond the default branch’s allowlist (default: untrusted for pull requests from forks in GitHub Actions, else trusted)',
      global: true,
      group: GLOBAL,
    })
    .command(
      'init',
      'Read the repository and print a starter phases.yaml for it (--write writes it)',
      (y: Argv) =>
        y
          .option('write', { type: 'boolean', default: false, describe: 'Write the plan (to --config, else phases.yaml in the target) instead of printing it; never overwrites' })
          .example('$0 init', 'print a starter plan for the repository here')
          .example('$0 init --cwd ../my-repo --write', 'write ../my-repo/phases.yaml'),
      run(async () => (await import('./commands/init.js')).initCommand),
    )
    .command(
      'validate',
      'Check the plan: schema and dependency graph; every problem with file:line:col',
      (y: Argv) =>
        y
          .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Output format' })
          .example('$0 validate', 'check config/phases.yaml (else phases.yaml)')
          .example('$0 validate --config other.yaml --format json', 'the problems as data'),
      run(async () => (await import('./commands/validate.js')).validateCommand),
    )
    .command(
      'plan',
      'Show the execution order: waves, groups, tasks and what each will do',
      (y: Argv) =>
        y
          .option('phase', { type: 'string', array: true, describe: 'Only these phases (repeatable)' })
          .option('format', { choices: ['tree', 'json', 'mermaid'] as const, default: 'tree' as const, describe: 'Output format' })
          .option('shard', { type: 'string', describe: 'As job i of n of a sharded run (i/n) sees it: which tasks split, which run in shard 1' })
          .example('$0 plan', 'the whole plan as a tree, wave by wave')
          .example('$0 plan --phase 2 --format mermaid', 'phase 2 as a flowchart GitHub renders'),
      run(async () => (await import('./commands/plan.js')).planCommand),
    )
    .command(
      'schema',
      'Print the JSON Schema of phases.yaml (--settings: of a settings file; --fleet: of fleet.yaml)',
      (y: Argv) =>
        y
          .option('settings', { type: 'boolean', describe: 'The schema of .orchestrate/config.yaml and the user settings file instead' })
          .option('fleet', { type: 'boolean', describe: 'The schema of a fleet file instead' })
          .conflicts('settings', 'fleet'),
      run(async () => (await import('./commands/schema.js')).schemaCommand),
    )
    .command(
      'config',
      'Print the effective settings and where each came from (user file, repository file, plan, environment, flags)',
      (y: Argv) => y.option('json', { type: 'boolean', default: false, describe: 'Print the settings as JSON' }),
      run(async () => (await import('./commands/config.js')).configCommand),
    )
    .command(
      'templates',
      'List the templates (plan, repository, built-in) with the variables each needs',
      (y: Argv) => y.option('json', { type: 'boolean', default: false, describe: 'Print the list as JSON' }),
      run(async () => (await import('./commands/templates.js')).templatesCommand),
    )
    .demandCommand(1, 'Name a command: init, validate, plan, run, pr, status, merge-results, approve, skip, schema, templates, config or fleet.')
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(orchestrateVersion())
    .wrap(Math.min(110, io.stdout.columns ?? 100))
    .fail((message: string | undefined, error: Error | undefined) => {
      // yargs calls this for usage errors; errors thrown by commands pass through untouched.
      if (error && !(error.name === 'YError')) throw error;
      const text = message ?? error?.message ?? 'invalid usage';
      // getOptions() is yargs' own (untyped in its declarations): every option known to the command being parsed.
      const known = (parser as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions().key;
      const guess = didYouMean(text, Object.keys(known));
      throw new UserError(text, { hint: guess ?? 'run `orchestrate --help` for the commands and options' });
    });

  registerRunCommands(parser, run);
  registerFleetCommands(parser, run);
  return parser;
}

const GLOBAL = 'Global options:';
const RUN = 'What to run and how:';

/** "did you mean --dry-run?" for an unknown option that is a known one misspelt. */
export function didYouMean(message: string, known: readonly string[]): string | undefined {
  const match = /^Unknown arguments?: (.+)$/.exec(message);
  if (!match?.[1]) return undefined;
  const squash = (name: string) => name.toLowerCase().replace(/[-_]/g, '');
  const guesses: string[] = [];
  for (const unknown of match[1].split(', ')) {
    const name = unknown.replace(/^-+/, '');
    const best = known
      .filter((option) => option.length > 1 && !/[A-Z]/.test(option))
      .map((option) => ({ option, distance: squash(option) === squash(name) ? 0 : editDistance(option, name) }))
      .sort((a, b) => a.distance - b.distance)[0];
    if (best && best.distance <= Math.max(1, Math.floor(name.length / 4))) guesses.push(`--${best.option}`);
  }
  return guesses.length ? `did you mean ${[...new Set(guesses)].join(', ')}?` : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** Options `run --pr` and `pr` share. */
const pullRequestOptions = {
  draft: { type: 'boolean', describe: 'Open pull requests as drafts', group: 'Git and GitHub:' },
  label: { type: 'string', array: true, describe: 'Label the pull requests (repeatable)', group: 'Git and GitHub:' },
  reviewer: { type: 'string', array: true, describe: 'Request a review from this GitHub user (repeatable)', group: 'Git and GitHub:' },
  token: { type: 'string', describe: 'GitHub token (default: GITHUB_TOKEN in Actions, else GH_TOKEN)', group: 'Git and GitHub:' },
} as const;

function registerRunCommands(parser: Argv, run: Runner): void {
  parser
    .command(
      'run',
      'Execute the plan (or a phase, group or task); --dry-run shows every change as a diff',
      (y: Argv) =>
        y
          .option('phase', { type: 'string', array: true, describe: 'Run these phases (repeatable or comma-separated)', group: RUN })
          .option('all', { type: 'boolean', describe: 'Run every phase', group: RUN })
          .option('group', { type: 'string', describe: 'Only this group of the selected phase (id, or phase/group)', group: RUN })
          .option('task', { type: 'string', array: true, describe: 'Only these tasks (repeatable)', group: RUN })
          .option('dry-run', { type: 'boolean', default: false, describe: 'Show what would change, as diffs; write nothing', group: RUN })
          .option('sequential', { type: 'boolean', default: false, describe: 'One task at a time', group: RUN })
          .option('concurrency', { type: 'number', describe: 'Tasks at once across the run (default: defaults.max_parallel)', group: RUN })
          .option('retries', { type: 'number', describe: 'Attempts after the first, for work that sets none (default: defaults.retries)', group: RUN })
          .option('timeout', { type: 'string', describe: 'Longest time an attempt may take, for work that sets none: 30s, 10m, 1h (default: defaults.timeout)', group: RUN })
          .option('fail-fast', { type: 'boolean', describe: 'Stop at the first failure and cancel running tasks', group: RUN })
          .option('force', { type: 'boolean', default: false, describe: 'Run tasks again even if an earlier run finished them', group: RUN })
          .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'Accept every manual step', group: RUN })
          .option('with-deps', { type: 'boolean', default: false, describe: 'Also run phases the selection depends on that are not done', group: RUN })
          .option('shard', {
            type: 'string',
            describe: 'Be job i of n (i/n): test generation does its share of the sources, other tasks run in shard 1, no checkpoints; join the shards with merge-results',
            group: RUN,
          })
          .option('reporter', {
            choices: ['ink', 'plain', 'json', 'github'] as const,
            describe: 'How to report progress: ink (live tree), plain, json or github (default: github in GitHub Actions, plain in CI or off a terminal, else ink)',
            group: RUN,
          })
          .example('$0 run --phase 1 --dry-run', 'preview phase 1: every file change as a diff, nothing written')
          .example('$0 run --phase 1', 'run phase 1; a second run resumes where it stopped')
          .example('$0 run --task 2.3 --force', 'run one task again')
          .example('$0 run --all --branch --pr', 'a branch and a pull request per phase')
          .example('$0 run --phase 2 --shard 2/3', 'the second of three jobs splitting phase 2\'s test generation')
          .conflicts('all', ['phase', 'task'])
          .option('commit', { type: 'boolean', describe: 'Commit each completed phase: its files and .orchestrate/state.json', group: 'Git and GitHub:' })
          .option('commit-per', { choices: ['phase', 'group'] as const, describe: 'One commit per phase (default) or per group', group: 'Git and GitHub:' })
          .option('branch', { type: 'string', describe: 'Commit each phase on its own branch, PATTERN with {id} and {name} (default orchestrate/phase-{id})', group: 'Git and GitHub:' })
          .option('push', { type: 'boolean', describe: 'Push the branches to --remote', group: 'Git and GitHub:' })
          .option('remote', { type: 'string', default: 'origin', describe: 'The remote to push to', group: 'Git and GitHub:' })
          .option('allow-dirty', { type: 'boolean', describe: 'Run even when the working tree has changes orchestrate did not make', group: 'Git and GitHub:' })
          .option('author', { type: 'string', describe: 'Author of the commits, "Name <email>" (default: git config)', group: 'Git and GitHub:' })
          .option('pr', { type: 'boolean', describe: 'Open (or update) a pull request per phase branch; implies --branch and --push', group: 'Git and GitHub:' })
          .options(pullRequestOptions),
      run(async () => (await import('./commands/run.js')).runCommand),
    )
    .command(
      'pr',
      'Open or update the pull request of a phase branch (after `run --branch --push`)',
      (y: Argv) =>
        y
          .option('phase', { type: 'string', array: true, demandOption: true, describe: 'The phases (repeatable or comma-separated)' })
          .option('branch', { type: 'string', describe: 'Branch PATTERN the run used (default orchestrate/phase-{id})' })
          .option('base', { type: 'string', describe: 'Base branch when the phase is not stacked (default: the checked-out branch)' })
          .option('push', { type: 'boolean', describe: 'Push the branch to --remote first' })
          .option('remote', { type: 'string', default: 'origin', describe: 'The remote the branch is on' })
          .options(pullRequestOptions)
          .example('$0 pr --phase 2', 'open or update the pull request of orchestrate/phase-2'),
      run(async () => (await import('./commands/pr.js')).prCommand),
    )
    .command(
      'status',
      'Progress per phase, group and task from the state; coverage expected against measured',
      (y: Argv) =>
        y
          .option('json', { type: 'boolean', default: false, describe: 'Print the status as JSON' })
          .option('verify', { type: 'boolean', default: false, describe: 'Re-check done tasks against the working tree and list drift' })
          .example('$0 status', 'where the rollout stands')
          .example('$0 status --verify', 'and whether the done work is still in place'),
      run(async () => (await import('./commands/status.js')).statusCommand),
    )
    .command(
      'merge-results <folders..>',
      'Join the results of the jobs of a sharded run (run --shard i/n) into this checkout, as one run',
      (y: Argv) =>
        y
          .positional('folders', { type: 'string', array: true, describe: 'Each shard\'s results folder (.orchestrate/shard-i-of-n/, as a job uploaded it), or the checkout it ran in' })
          .option('json', { type: 'boolean', default: false, describe: 'Print what was merged as JSON' })
          .example('$0 merge-results shards/*', 'join the downloaded shard folders; then `status`, and `run` for the checkpoints'),
      run(async () => (await import('./commands/merge-results.js')).mergeResultsCommand),
    )
    .command(
      'approve <task>',
      'Record that a person did a manual task',
      (y: Argv) =>
        y
          .positional('task', { type: 'string', describe: 'Task id' })
          .option('note', { type: 'string', describe: 'A note kept with the decision' })
          .example('$0 approve 2.4 --note "protection on since Monday"', 'settle manual task 2.4; the next run goes on past it'),
      run(async () => (await import('./commands/decide.js')).approveCommand),
    )
    .command(
      'skip <task>',
      'Record that a manual task is skipped',
      (y: Argv) =>
        y
          .positional('task', { type: 'string', describe: 'Task id' })
          .option('note', { type: 'string', describe: 'A note kept with the decision' })
          .example('$0 skip 2.4 --note "not for this repository"', 'leave manual task 2.4 out for good'),
      run(async () => (await import('./commands/decide.js')).skipCommand),
    );
}
