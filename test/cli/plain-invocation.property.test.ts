/**
 * The plain-invocation reader against yargs itself: for any command line made
 * of the tokens people type, when it reads a plain invocation, the real parser
 * (src/cli/parser.ts) picks the same command and hands it the same
 * arguments, key for key (camelCase names and defaults included); and what
 * it leaves to yargs includes everything yargs would refuse or read another
 * way.
 */
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { buildParser } from '../../src/cli/parser.js';
import { plainInvocation } from '../../src/cli/plain-invocation.js';
import { plainStyle } from '../../src/plan/render/style.js';

const sink = (): Writable & { text: string } => {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      stream.text += String(chunk);
      done();
    },
  }) as Writable & { text: string };
  stream.text = '';
  return stream;
};

/** The arguments as a command reads them: yargs' own bookkeeping (`_`, `$0`) and options not given (undefined) left out. */
const given = (args: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(args).filter(([key, value]) => key !== '_' && key !== '$0' && value !== undefined));

/** What yargs hands the command for `argv`: its name and the options above; or the usage error it reports. */
async function yargsReads(argv: string[]): Promise<{ command: string; args: Record<string, unknown> } | { error: string }> {
  const io: CliIo = { stdout: sink(), stderr: sink(), env: {}, cwd: process.cwd(), out: plainStyle, err: plainStyle };
  let seen: { command: string; args: Record<string, unknown> } | undefined;
  const parser = buildParser(argv, io, (load) => async (args) => {
    const command = (await load()).name;
    seen = { command, args: given(args as Record<string, unknown>) };
  });
  try {
    await parser.exitProcess(false).parseAsync();
  } catch (error) {
    return { error: String(error) };
  }
  if (!seen) return { error: 'no command ran' };
  return seen;
}

const COMMAND_OF: Record<string, string> = { validate: 'validateCommand', plan: 'planCommand', status: 'statusCommand', run: 'runCommand' };

const plainOf = (argv: string[]) => {
  const plain = plainInvocation(argv);
  return plain && { command: COMMAND_OF[plain.command], args: given(plain.args) };
};

/** Tokens of the plain commands' options, well and badly formed, and some that only yargs reads. */
const TOKENS = [
  '--config', '--config=phases.yaml', 'phases.yaml', 'other dir/plan.yaml', '--cwd', '--cwd=..', '.', '--color', '--no-color', '--verbose', '--no-verbose',
  '--verbose=true', 'false', '--trust', 'trusted', 'untrusted', 'sometimes', '--trust=untrusted', '--format', 'json', 'text', 'tree', 'mermaid', '--format=json',
  '--phase', '--phase=2', '1', '2,3', '--json', '--no-json', '--verify', '--help', '-h', '--version', '--', '-x', '--bogus', '--dry-run', '--config=', '',
  '--Phase', '--no-format',
];

/** Tokens of `run`'s own options. */
const RUN_TOKENS = [
  '--phase', '1', '--all', '--no-all', '--task', '1.1', '--task=2.1', '--group', 'a', '--dry-run', '--no-dry-run', '--dryRun', '--sequential',
  '--concurrency', '2', '--concurrency=0', '10', '1e3', '2.5', 'abc', '--retries', '3', '--timeout', '30s', '--fail-fast', '--force', '--yes', '-y', '--y',
  '--with-deps', '--reporter', 'plain', 'ink', 'fancy', '--reporter=json', '--commit', '--commit-per', 'group', '--branch', 'rollout/{id}', '--push',
  '--remote', 'upstream', '--allow-dirty', '--author', 'A <a@b.c>', '--pr', '--draft', '--label', 'ci', '--reviewer', 'octocat', '--token', 't0k',
  '--config', 'phases.yaml', '--verbose', '--no-color', '--trust', 'untrusted', '--help', '--',
];

describe('a plain invocation', () => {
  it('is read exactly as yargs reads it, for any line of option tokens', async () => {
    let plainCount = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('validate', 'plan', 'status'), fc.array(fc.constantFrom(...TOKENS), { maxLength: 6 }), async (command, rest) => {
        const argv = [command, ...rest];
        const plain = plainOf(argv);
        if (!plain) return;
        plainCount++;
        expect(await yargsReads(argv), argv.join(' ')).toEqual(plain);
      }),
      { numRuns: 400 },
    );
    // The property above says nothing unless many lines were plain.
    expect(plainCount).toBeGreaterThan(60);
  });

  it('of run is read exactly as yargs reads it, for any line of its option tokens', async () => {
    let plainCount = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...RUN_TOKENS), { maxLength: 7 }), async (rest) => {
        const argv = ['run', ...rest];
        const plain = plainOf(argv);
        if (!plain) return;
        plainCount++;
        expect(await yargsReads(argv), argv.join(' ')).toEqual(plain);
      }),
      { numRuns: 500 },
    );
    expect(plainCount).toBeGreaterThan(60);
  });

  it('reads the lines people type with their values', () => {
    expect(plainInvocation(['validate'])).toEqual({ command: 'validate', args: { config: undefined, cwd: undefined, color: undefined, trust: undefined, verbose: false, format: 'text' } });
    expect(plainInvocation(['run', '--all', '--dry-run', '--concurrency', '2', '--with-deps'])?.args).toMatchObject({ all: true, dryRun: true, 'dry-run': true, concurrency: 2, withDeps: true, remote: 'origin' });
    expect(plainInvocation(['plan', '--config', 'p.yaml', '--phase', '1', '--phase=2', '--format', 'mermaid', '--no-color'])?.args).toMatchObject({
      config: 'p.yaml',
      phase: ['1', '2'],
      format: 'mermaid',
      color: false,
    });
    expect(plainInvocation(['status', '--json', '--verify', '--trust=untrusted', '--cwd', '../repo'])?.args).toMatchObject({ json: true, verify: true, trust: 'untrusted', cwd: '../repo' });
  });

  it('leaves to yargs what yargs alone reads or refuses', () => {
    for (const argv of [
      [],
      ['fleet', 'status'],
      ['--verbose', 'validate'],
      ['validate', '--help'],
      ['validate', '-h'],
      ['plan', '--version'],
      ['validate', 'extra'],
      ['validate', '--format', 'yaml'],
      ['validate', '--format', 'tree'],
      ['status', '--format', 'json'],
      ['plan', '--json'],
      ['validate', '--config'],
      ['validate', '--config', '--verbose'],
      ['validate', '--config', 'a', '--config', 'b'],
      ['validate', '--verbose', '--verbose'],
      ['validate', '--verbose=false'],
      ['plan', '--phase', '1', '2'],
      ['validate', '--', 'x'],
      ['validate', '--dryrun'],
      ['run', '--all', '--phase', '1'],
      ['run', '-y'],
      ['run', '--concurrency', 'two'],
      ['run', '--concurrency', '1e3'],
      ['run', '--reporter', 'fancy'],
      ['run', '--dryRun'],
    ]) {
      expect(plainInvocation(argv), argv.join(' ')).toBeUndefined();
    }
  });
});
