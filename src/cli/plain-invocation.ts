/**
 * The plain invocations that editors, pre-commit hooks and CI jobs run most,
 * `validate`, `plan`, `status` and `run` with long options only, read without
 * yargs: loading yargs and letting it build the whole help text before every
 * command costs more than the command itself on a small plan. Anything this does not
 * read exactly as yargs would (help, version, short options, positionals,
 * unknown or repeated options, a value yargs would refuse or read otherwise)
 * is not a plain invocation, and yargs parses it as before (src/cli/parser.ts).
 */
import type { GlobalOptions } from './main.js';

/** The commands that have a plain form. */
export type PlainCommand = 'validate' | 'plan' | 'status' | 'run';

/** A command and its arguments, as the yargs parse would have handed them to the command. */
export interface PlainInvocation {
  command: PlainCommand;
  args: GlobalOptions & Record<string, unknown>;
}

type OptionKind = { kind: 'string' } | { kind: 'strings' } | { kind: 'boolean' } | { kind: 'number' } | { kind: 'choice'; choices: readonly string[] };

const string: OptionKind = { kind: 'string' };
const strings: OptionKind = { kind: 'strings' };
const boolean: OptionKind = { kind: 'boolean' };
const number: OptionKind = { kind: 'number' };
const choice = (...choices: string[]): OptionKind => ({ kind: 'choice', choices });

/** The options every command takes (src/cli/parser.ts), and the defaults yargs fills in. */
const GLOBAL: Record<string, OptionKind> = { config: string, cwd: string, color: boolean, verbose: boolean, trust: choice('trusted', 'untrusted') };
const GLOBAL_DEFAULTS = { verbose: false };

/** Each plain command's own options and defaults, as declared to yargs in src/cli/parser.ts. */
const COMMANDS: Record<PlainCommand, { options: Record<string, OptionKind>; defaults: Record<string, unknown> }> = {
  validate: { options: { format: choice('text', 'json') }, defaults: { format: 'text' } },
  plan: { options: { phase: strings, format: choice('tree', 'json', 'mermaid'), shard: string }, defaults: { format: 'tree' } },
  status: { options: { json: boolean, verify: boolean }, defaults: { json: false, verify: false } },
  run: {
    options: {
      phase: strings,
      all: boolean,
      group: string,
      task: strings,
      'dry-run': boolean,
      sequential: boolean,
      concurrency: number,
      retries: number,
      timeout: string,
      'fail-fast': boolean,
      force: boolean,
      yes: boolean,
      'with-deps': boolean,
      shard: string,
      reporter: choice('ink', 'plain', 'json', 'github'),
      commit: boolean,
      'commit-per': choice('phase', 'group'),
      branch: string,
      push: boolean,
      remote: string,
      'allow-dirty': boolean,
      author: string,
      pr: boolean,
      draft: boolean,
      label: strings,
      reviewer: strings,
      token: string,
    },
    defaults: { 'dry-run': false, sequential: false, force: false, yes: false, y: false, 'with-deps': false, remote: 'origin' },
  },
};

/** The command and its arguments when `argv` is a plain invocation; undefined to leave it to yargs. */
export function plainInvocation(argv: readonly string[]): PlainInvocation | undefined {
  const [name, ...rest] = argv;
  if (name === undefined || !Object.hasOwn(COMMANDS, name)) return undefined;
  const command = name as PlainCommand;
  const spec = COMMANDS[command];
  const values: Record<string, unknown> = {};
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i]!;
    // Positionals, `--`, short options (-h) and `--no-` of a non-boolean are yargs' to read.
    if (!token.startsWith('--') || token.length === 2) return undefined;
    const equals = token.indexOf('=');
    let key = equals === -1 ? token.slice(2) : token.slice(2, equals);
    const inline = equals === -1 ? undefined : token.slice(equals + 1);
    let negated = false;
    if (key.startsWith('no-') && kindOf(spec.options, key.slice(3))?.kind === 'boolean') {
      key = key.slice(3);
      negated = true;
    }
    const kind = kindOf(spec.options, key);
    if (kind === undefined || key === 'help' || key === 'version') return undefined;
    if (Object.hasOwn(values, key) && kind.kind !== 'strings') return undefined;
    if (kind.kind === 'boolean') {
      // `--verbose=false` or `--verbose false` are read by yargs' own rules.
      if (inline !== undefined) return undefined;
      values[key] = !negated;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      value = rest[i + 1];
      i++;
    }
    // A missing, empty or dash-led value, and a choice yargs would refuse, are yargs' to report or read.
    if (value === undefined || value === '' || value.startsWith('-')) return undefined;
    if (kind.kind === 'choice' && !kind.choices.includes(value)) return undefined;
    // A number yargs would read some other way (1e3, 0x10, 2.5) is left to it.
    if (kind.kind === 'number' && !/^[1-9]\d{0,8}$|^0$/.test(value)) return undefined;
    values[key] = kind.kind === 'strings' ? [...((values[key] as string[] | undefined) ?? []), value] : kind.kind === 'number' ? Number(value) : value;
  }
  // `--all` with `--phase` or `--task` is a conflict yargs reports.
  if (Object.hasOwn(values, 'all') && (Object.hasOwn(values, 'phase') || Object.hasOwn(values, 'task'))) return undefined;
  if (Object.hasOwn(values, 'yes')) values.y = values.yes;
  const given = { ...GLOBAL_DEFAULTS, ...spec.defaults, config: undefined, cwd: undefined, color: undefined, trust: undefined, ...values };
  // yargs hands each kebab-case option under its camelCase name too (dryRun, withDeps), which the commands read.
  const args: GlobalOptions & Record<string, unknown> = { ...given };
  for (const [key, value] of Object.entries(given)) if (key.includes('-')) args[key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
  return { command, args };
}

function kindOf(options: Record<string, OptionKind>, key: string): OptionKind | undefined {
  if (Object.hasOwn(options, key)) return options[key];
  return Object.hasOwn(GLOBAL, key) ? GLOBAL[key] : undefined;
}
