/**
 * The CLI entry: answers `--version` at once, runs a plain invocation of
 * `validate`, `plan`, `status` or `run` without loading yargs, and hands anything
 * else to the full parser (src/cli/parser.ts); loads the chosen command's
 * module lazily (so `plan` and `validate` never load what `run` needs), and
 * maps every outcome to an exit code in one place.
 */
import { ExitCode } from '../errors.js';
import type { CliContext } from './context.js';
import { keptOptions } from './invocation.js';
import { processIo, type CliIo } from './io.js';
import { plainInvocation, type PlainCommand } from './plain-invocation.js';
import { reportError } from './report-error.js';
import { orchestrateVersion } from './version.js';

export interface GlobalOptions {
  config: string | undefined;
  cwd: string | undefined;
  color: boolean | undefined;
  verbose: boolean;
  trust: 'trusted' | 'untrusted' | undefined;
}

type CommandResult = number | void;

/** A command's function, as its module exports it. */
export type Command = (args: never, io: CliIo, context: CliContext) => Promise<CommandResult>;

/** The modules of the commands with a plain form (src/cli/parser.ts loads the same ones). */
const PLAIN_COMMANDS: Record<PlainCommand, () => Promise<Command>> = {
  validate: async () => (await import('./commands/validate.js')).validateCommand,
  plan: async () => (await import('./commands/plan.js')).planCommand,
  status: async () => (await import('./commands/status.js')).statusCommand,
  run: async () => (await import('./commands/run.js')).runCommand,
};

/** Run the CLI with the given arguments and the world the composition root built; resolves to the exit code. */
export async function main(argv: string[], context: CliContext, makeIo: (colour: boolean | undefined) => CliIo = processIo): Promise<number> {
  // ORCHESTRATE_FAST_ARGS=0 sends every invocation through yargs (to compare the two, or to rule the short paths out).
  const short = process.env.ORCHESTRATE_FAST_ARGS !== '0';
  if (short && argv.length === 1 && argv[0] === '--version') {
    makeIo(undefined).stdout.write(`${orchestrateVersion()}\n`);
    return ExitCode.ok;
  }
  const plain = short ? plainInvocation(argv) : undefined;
  // The command's code starts loading while the colour is decided; a failure to load is reported below.
  const loading = plain ? PLAIN_COMMANDS[plain.command]() : undefined;
  loading?.catch(() => undefined);
  const colourFlag = argv.includes('--no-color') ? false : argv.includes('--color') ? true : undefined;
  // The flag, else ORCHESTRATE_COLOR / NO_COLOR, else the repository and user settings files.
  const { colourSetting } = await import('../settings/colour.js');
  const colourArg = colourFlag ?? (await colourSetting(process.env, process.cwd(), rawOption(argv, 'cwd')));
  const io = makeIo(colourArg);
  try {
    if (plain && loading) {
      const command = await loading;
      const result = await command(plain.args as never, io, context);
      return typeof result === 'number' ? result : ExitCode.ok;
    }
    const { parseAndRun } = await import('./parser.js');
    return await parseAndRun(argv, io, context);
  } catch (error) {
    return reportError(error, io, keptOptions({ config: rawOption(argv, 'config'), cwd: rawOption(argv, 'cwd') }));
  }
}

/** The value of `--name VALUE` or `--name=VALUE` as typed (the last one wins, as in yargs). */
function rawOption(argv: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  argv.forEach((arg, i) => {
    if (arg === `--${name}` && i + 1 < argv.length) value = argv[i + 1];
    else if (arg.startsWith(`--${name}=`)) value = arg.slice(name.length + 3);
  });
  return value;
}
