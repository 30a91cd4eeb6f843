/**
 * The `orchestrate fleet ...` subcommands and their options, registered on
 * the CLI's parser; each subcommand's code loads only when it runs.
 */
import type { Argv } from 'yargs';
import type { CliContext } from '../context.js';
import type { CliIo } from '../io.js';

type CommandResult = number | void;
type Runner = (load: () => Promise<(args: never, io: CliIo, context: CliContext) => Promise<CommandResult>>) => (args: unknown) => Promise<void>;

const FLEET = 'Fleet:';

/** Options every fleet subcommand takes. */
function common(y: Argv): Argv {
  return y
    .option('fleet', { type: 'string', default: 'fleet.yaml', describe: 'The fleet file', group: FLEET })
    .option('state-dir', { type: 'string', describe: 'Folder of clones, logs and per-repository state (default: state_dir of the fleet file)', group: FLEET })
    .option('only', { type: 'string', array: true, describe: 'Only these repositories, owner/name (repeatable or comma-separated)', group: FLEET })
    .option('token', { type: 'string', describe: 'GitHub token (default: GH_TOKEN, else GITHUB_TOKEN); never written anywhere', group: FLEET });
}

/** Register `fleet` and its subcommands. */
export function registerFleetCommands(parser: Argv, run: Runner): void {
  const load = async () => await import('./fleet.js');
  parser.command('fleet', 'Apply one plan to many repositories: run, status, matrix, merge, close (see docs/fleet.md)', (y: Argv) =>
    y
      .command(
        'run',
        'Clone each repository, run the plan, and open its pull requests, paced; resumes where a stopped run left off',
        (sub: Argv) =>
          common(sub)
            .option('dry-run', { type: 'boolean', default: false, describe: 'Show each repository’s diffs; commit, push and open nothing', group: FLEET })
            .option('json', { type: 'boolean', default: false, describe: 'Print the outcome per repository as JSON on stdout', group: FLEET })
            .example('$0 fleet run --dry-run', 'every repository’s changes as diffs')
            .example('$0 fleet run', 'run the fleet; run it again to resume or to go on past the pacing caps'),
        run(async () => (await load()).fleetRunCommand),
      )
      .command(
        'status',
        'Repositories x phases: pull request, checks, coverage promised against measured',
        (sub: Argv) =>
          common(sub)
            .option('format', { choices: ['table', 'json', 'markdown'] as const, default: 'table' as const, describe: 'table, json, or markdown (with a Mermaid burndown)', group: FLEET })
            .option('offline', { type: 'boolean', default: false, describe: 'Only what the state records; ask GitHub nothing', group: FLEET })
            .example('$0 fleet status --format markdown >> "$GITHUB_STEP_SUMMARY"', 'the summary of a workflow run'),
        run(async () => (await load()).fleetStatusCommand),
      )
      .command(
        'matrix',
        'Print the JSON for a GitHub Actions strategy.matrix: one entry per repository (batches past 256), within the pacing',
        (sub: Argv) =>
          common(sub)
            .option('github-output', { type: 'boolean', default: false, describe: 'Also write matrix= and max-parallel= to $GITHUB_OUTPUT', group: FLEET })
            .option('offline', { type: 'boolean', default: false, describe: 'Count open pull requests from the state only', group: FLEET })
            .example('$0 fleet matrix --github-output', 'matrix=, max-parallel= and count= for the next job'),
        run(async () => (await load()).fleetMatrixCommand),
      )
      .command(
        'merge',
        'Merge the fleet’s open pull requests whose checks passed, by each repository’s merge method',
        (sub: Argv) =>
          common(sub)
            .option('dry-run', { type: 'boolean', default: false, describe: 'Say what would be merged', group: FLEET })
            .example('$0 fleet merge --dry-run', 'which pull requests are ready to merge'),
        run(async () => (await load()).fleetMergeCommand),
      )
      .command(
        'close',
        'Close the fleet’s open pull requests, with a comment',
        (sub: Argv) =>
          common(sub)
            .option('comment', { type: 'string', describe: 'The comment (default: pull_requests.close_comment, else a sentence naming the fleet)', group: FLEET })
            .option('dry-run', { type: 'boolean', default: false, describe: 'Say what would be closed', group: FLEET })
            .example('$0 fleet close --comment "Called off, see #42"', 'close every open pull request of the fleet'),
        run(async () => (await load()).fleetCloseCommand),
      )
      .demandCommand(1, 'Name a fleet command: run, status, matrix, merge or close.'),
  );
}
