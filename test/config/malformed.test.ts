/**
 * Every malformed plan in test/fixtures/malformed/ is run through the real CLI
 * (`orchestrate validate --config <file>`), and what the user reads is checked:
 * exit code 2, nothing on stdout, no stack trace, and each problem the fixture
 * announces in its header, at its line:col with its YAML path, all in one run.
 *
 * Fixture header (line numbers count these comment lines too):
 *   # expect: <line>:<col> <yaml path, or - for none> <substring of the message>
 *   # hint: <substring of that problem's hint>           (optional)
 *   # at: <text the source has at that line:col>         (optional)
 * The number of `# expect:` lines is the number of problems the CLI must report.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, type CliResult } from '../helpers/cli.js';

const FIXTURES = 'test/fixtures/malformed';

interface Expectation {
  line: number;
  column: number;
  /** '' when the problem concerns the whole file or its syntax. */
  path: string;
  message: string;
  hint?: string;
  at?: string;
}

interface Case {
  name: string;
  /** The path given to --config, as the user would type it. */
  file: string;
  expected: Expectation[];
  /** Source lines, for `# at:` checks (absent for binary and generated files). */
  lines?: string[];
}

/** Files that cannot carry a comment header. */
const HEADERLESS: Record<string, Expectation[]> = {
  'empty.yaml': [{ line: 1, column: 1, path: '', message: 'the plan file is empty', hint: 'a plan needs at least `version: 1` and `phases:`' }],
  'binary.bin': [{ line: 1, column: 1, path: '', message: 'the plan file is not UTF-8 text (it looks binary)', hint: 'point --config at a phases.yaml file' }],
};

function parseHeader(name: string, text: string): Expectation[] {
  const expected: Expectation[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith('#')) break;
    const expect = /^# expect: (\d+):(\d+) (\S+) (.+)$/.exec(line);
    const last = expected[expected.length - 1];
    if (expect) {
      expected.push({ line: Number(expect[1]), column: Number(expect[2]), path: expect[3] === '-' ? '' : expect[3]!, message: expect[4]! });
    } else if (line.startsWith('# hint: ') && last) {
      last.hint = line.slice('# hint: '.length);
    } else if (line.startsWith('# at: ') && last) {
      last.at = line.slice('# at: '.length);
    }
  }
  if (expected.length === 0) throw new Error(`${name} has no "# expect:" header`);
  return expected;
}

interface Block {
  head: string;
  error: string;
  hint: string;
}

/** Split the CLI's stderr into one block per reported problem, and the summary line. */
function parseReport(stderr: string): { blocks: Block[]; summary: string } {
  const chunks = stderr.trimEnd().split('\n\n');
  const summary = chunks.pop() ?? '';
  const blocks = chunks.map((chunk) => {
    const lines = chunk.split('\n');
    return {
      head: lines[0] ?? '',
      error: lines.find((l) => l.startsWith('  error: '))?.slice('  error: '.length) ?? '',
      hint: lines.find((l) => l.startsWith('  hint: '))?.slice('  hint: '.length) ?? '',
    };
  });
  return { blocks, summary };
}

/** Run `fn` over `items` with at most `limit` at once. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const cases: Case[] = [];
const results = new Map<string, CliResult>();
let tempDir = '';

beforeAll(async () => {
  const names = (await readdir(path.join(repoRoot, FIXTURES))).sort();
  for (const name of names) {
    const file = `${FIXTURES}/${name}`;
    const bytes = await readFile(path.join(repoRoot, file));
    if (HEADERLESS[name]) {
      cases.push({ name, file, expected: HEADERLESS[name] });
      continue;
    }
    const text = bytes.toString('latin1');
    cases.push({ name, file, expected: parseHeader(name, text), lines: text.split(/\r?\n/) });
  }
  // Too big to commit: a plan of 5 MB, refused before parsing.
  tempDir = await mkdtemp(path.join(tmpdir(), 'orchestrate-malformed-'));
  const huge = path.join(tempDir, 'huge-5mb.yaml');
  const task = '          - { id: "t", type: manual, instructions: "Check the build and read the logs carefully." }\n';
  await writeFile(huge, `version: 1\nphases:\n  - id: 1\n    name: One\n    groups:\n      - id: a\n        tasks:\n${task.repeat(Math.ceil((5 * 1024 * 1024) / task.length))}`);
  cases.push({
    name: 'huge-5mb.yaml (generated)',
    file: huge,
    expected: [{ line: 1, column: 1, path: '', message: 'the plan file is 5.0 MB; plans are limited to 1 MB', hint: 'split generated content out of it' }],
  });

  const outcomes = await pool(cases, 4, (c) => runCli(['validate', '--config', c.file]));
  cases.forEach((c, i) => results.set(c.name, outcomes[i]!));
}, 300_000);

afterAll(async () => {
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
});

describe('malformed plans', () => {
  it('has a corpus of at least 45 plans, each with what it expects', () => {
    expect(cases.length).toBeGreaterThanOrEqual(45);
    expect(cases.filter((c) => c.expected.length >= 2).length).toBeGreaterThanOrEqual(2);
  });

  it('reports every problem of every fixture, located, with no stack trace and nothing on stdout', () => {
    const failures: string[] = [];
    for (const c of cases) {
      const result = results.get(c.name)!;
      const problems = checkCase(c, result);
      if (problems.length > 0) failures.push(`${c.name}:\n  - ${problems.join('\n  - ')}\n  stderr was:\n${indent(result.stderr)}`);
    }
    expect(failures.join('\n\n')).toBe('');
  });

  it('names each cycle as a path and points at the edge that closes it', () => {
    const cycles = cases.filter((c) => /cycle/.test(c.name));
    expect(cycles.map((c) => c.name)).toEqual(
      expect.arrayContaining(['cycle-len-1.yaml', 'cycle-len-2.yaml', 'cycle-len-5.yaml', 'group-cycle.yaml']),
    );
    for (const c of cycles) {
      for (const e of c.expected.filter((x) => x.message.includes('dependency cycle'))) {
        // The whole path, back to where it started, and a location on the closing edge.
        expect(e.message, c.name).toMatch(/dependency cycle: (phase|group) (\S+)( -> (phase|group) \S+)* -> (phase|group) \2$/);
        expect(e.at, `${c.name} should say with "# at:" which edge closes the cycle`).toBeTruthy();
      }
    }
  });
});

function checkCase(c: Case, result: CliResult): string[] {
  const problems: string[] = [];
  if (result.code !== 2) problems.push(`exit code ${result.code}, expected 2`);
  if (result.stdout !== '') problems.push(`stdout is not empty: ${JSON.stringify(result.stdout.slice(0, 200))}`);
  if (/^\s+at /m.test(result.stderr) || result.stderr.includes('node:internal')) problems.push('stderr has a stack trace');
  if (/internal error/.test(result.stderr)) problems.push('reported as an internal error');
  const { blocks, summary } = parseReport(result.stderr);
  const n = c.expected.length;
  const wantSummary = `${n} problem${n === 1 ? '' : 's'} in ${c.file}`;
  if (summary !== wantSummary) problems.push(`summary line is ${JSON.stringify(summary)}, expected ${JSON.stringify(wantSummary)}`);
  const unmatched = [...blocks];
  for (const e of c.expected) {
    const head = `${c.file}:${e.line}:${e.column}${e.path ? ` ${e.path}` : ''}`;
    const index = unmatched.findIndex((b) => b.head === head && b.error.includes(e.message) && (e.hint === undefined || b.hint.includes(e.hint)));
    if (index === -1) {
      problems.push(`no problem reported as ${head} with "${e.message}"${e.hint ? ` and hint "${e.hint}"` : ''}`);
      continue;
    }
    unmatched.splice(index, 1);
    if (e.at !== undefined && c.lines) {
      const source = c.lines[e.line - 1] ?? '';
      if (!source.slice(e.column - 1).startsWith(e.at)) {
        problems.push(`${e.line}:${e.column} is at ${JSON.stringify(source.slice(e.column - 1))}, expected it to start with ${JSON.stringify(e.at)}`);
      }
    }
  }
  for (const b of unmatched) problems.push(`unexpected problem: ${b.head} ${b.error}`);
  return problems;
}

function indent(text: string): string {
  return text.replace(/^/gm, '    | ');
}
