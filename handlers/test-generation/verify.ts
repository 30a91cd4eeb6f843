/**
 * The quality gate: runs one candidate test file alone with the target's own
 * runner (jest or vitest, found in the target's node_modules) and reports
 * which tests passed, which failed and why, and, when asked, the source's
 * line coverage. The runner needs the file on disk, so the candidate is
 * written under a temporary name beside where it will live (relative imports
 * resolve the same) and always removed afterwards; the real file is written
 * later through the workspace.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../../src/errors.js';

export interface RunResult {
  /** Titles (the `it` names) that passed and failed. */
  passed: Set<string>;
  failed: Map<string, string>;
  /** Set when the file as a whole could not run (a syntax, type or import error). */
  suiteError: string | undefined;
  /** Line coverage of the source in percent, when asked. */
  lines: number | undefined;
}

export interface VerifyRequest {
  root: string;
  framework: 'jest' | 'vitest';
  /** Root-relative path the test file will have. */
  testFile: string;
  text: string;
  /** Root-relative source, for coverage. */
  source: string;
  /** Measure the source's line coverage; `{ from }` instruments the files of that glob instead and reports nothing (the probe reads the counters itself). */
  coverage: boolean | { from: string };
  /** Give up on the run after this long (the probe can take a while). */
  timeoutMs?: number;
  /** The target is an ES module package: Jest then needs Node's VM modules. */
  esm: boolean;
  signal: AbortSignal;
}

/** Run `text` as if it were `testFile`, alone, and collect the results. */
export async function runCandidate(request: VerifyRequest): Promise<RunResult> {
  const [result] = await runCandidates({ ...request, files: [{ testFile: request.testFile, text: request.text }] });
  return result as RunResult;
}

export interface BatchRequest extends Omit<VerifyRequest, 'testFile' | 'text'> {
  /** The candidates: each is run as if it were its `testFile`, all in one run of the runner. */
  files: { testFile: string; text: string }[];
}

/**
 * Run several candidates in one run of the target's runner (which spreads the
 * files over its workers): one runner start-up for a batch instead of one per
 * file. Results come back in the order of `files`; a file the runner could not
 * load has its own suiteError and does not spoil the others.
 */
export async function runCandidates(request: BatchRequest): Promise<RunResult[]> {
  const runner = findRunner(request.root, request.framework);
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'orchestrate-verify-'));
  const placed: { candidate: string; dir: string; created: string | undefined }[] = [];
  try {
    for (const file of request.files) {
      const finalPath = path.join(request.root, ...file.testFile.split('/'));
      const dir = path.dirname(finalPath);
      const created = await mkdir(dir, { recursive: true });
      const candidate = path.join(dir, candidateName(path.basename(finalPath)));
      placed.push({ candidate, dir, created });
      await writeFile(candidate, file.text, { flag: 'wx' });
    }
    const report = path.join(scratch, 'report.json');
    const candidates = placed.map((p) => p.candidate);
    const args = request.framework === 'vitest' ? vitestArgs(candidates, report, request, scratch) : jestArgs(candidates, report, request, scratch);
    const node = request.framework === 'jest' && request.esm ? ['--experimental-vm-modules'] : [];
    const signal = request.timeoutMs === undefined ? request.signal : AbortSignal.any([request.signal, AbortSignal.timeout(request.timeoutMs)]);
    const run = await runNode([...node, runner, ...args], request.root, signal);
    // Stopped from outside: no results. Stopped by its own time limit: what the files wrote so far still counts.
    request.signal.throwIfAborted();
    const parsed = await readReport(report, run.output, candidates);
    const lines = request.coverage === true && request.files.length === 1 ? await readCoverage(scratch, path.join(request.root, ...request.source.split('/'))) : undefined;
    return parsed.map((result) => ({ ...result, lines }));
  } finally {
    for (const { candidate, dir, created } of placed) {
      await rm(candidate, { force: true });
      if (created !== undefined) await removeEmptyDirs(dir, created);
    }
    await rm(scratch, { recursive: true, force: true });
  }
}

/** `users.test.ts` -> `users.orchestrate-verify-1a2b3c.test.ts`: still matched by the runner's test patterns. */
export function candidateName(base: string): string {
  const tag = `orchestrate-verify-${randomBytes(4).toString('hex')}`;
  const match = /^(.*?)(\.(?:test|spec)\.[^.]+)$/.exec(base);
  if (match) return `${match[1]}.${tag}${match[2]}`;
  const ext = path.extname(base);
  return `${base.slice(0, base.length - ext.length)}.${tag}.test${ext}`;
}

function vitestArgs(candidates: string[], report: string, request: BatchRequest, scratch: string): string[] {
  const args = ['run', ...candidates, '--root', request.root, '--reporter=json', `--outputFile=${report}`, '--watch=false', '--passWithNoTests=false', '--cache=false'];
  if (request.coverage === true) {
    args.push('--coverage.enabled=true', '--coverage.reporter=json-summary', `--coverage.reportsDirectory=${scratch}`, `--coverage.include=${request.source}`, '--coverage.thresholds.lines=0');
  } else args.push('--coverage.enabled=false');
  return args;
}

function jestArgs(candidates: string[], report: string, request: BatchRequest, scratch: string): string[] {
  const args = ['--runTestsByPath', ...candidates, '--json', `--outputFile=${report}`, '--ci', '--watchman=false', '--rootDir', request.root];
  if (request.coverage === true) args.push('--coverage', '--coverageReporters=json-summary', `--coverageDirectory=${scratch}`, `--collectCoverageFrom=${request.source}`, '--coverageThreshold={}');
  else if (request.coverage !== false) args.push('--coverage', '--coverageReporters=json-summary', `--coverageDirectory=${scratch}`, `--collectCoverageFrom=${request.coverage.from}`, '--coverageThreshold={}');
  else args.push('--coverage=false');
  return args;
}

/** The runner's entry script, from the target's node_modules (or one further up). */
export function findRunner(root: string, framework: 'jest' | 'vitest'): string {
  const entry = framework === 'vitest' ? ['vitest', 'vitest.mjs'] : ['jest', 'bin', 'jest.js'];
  for (let dir = root; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', ...entry);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new UserError(`cannot verify the generated tests: ${framework} is not installed in the target (no node_modules/${entry.join('/')})`, {
    retryable: false,
    hint: `Install the target's dependencies (npm install) so ${framework} can run, or set \`verify: false\` on the task to write the tests unchecked.`,
  });
}

export function runNode(args: string[], cwd: string, signal: AbortSignal): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const { NODE_OPTIONS: _ignored, VITEST: _v, VITEST_WORKER_ID: _w, VITEST_POOL_ID: _p, JEST_WORKER_ID: _j, ...env } = process.env;
    // Its own process group, so that stopping it also stops the runner's workers (one stuck in a loop a scenario started included).
    const child = spawn(process.execPath, args, { cwd, detached: true, env: { ...env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const stop = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop, { once: true });
    child.on('close', () => signal.removeEventListener('abort', stop));
    let output = '';
    const keep = (chunk: string) => {
      output = (output + chunk).slice(-20_000);
    };
    child.stdout.setEncoding('utf8').on('data', keep);
    child.stderr.setEncoding('utf8').on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

const NOT_PICKED_UP = 'the runner did not pick up the test file: make test_file match its test patterns (jest roots/testMatch, vitest include):\n';

interface JsonReport {
  testResults?: {
    name?: string;
    status?: string;
    message?: string;
    assertionResults?: { title?: string; status?: string; failureMessages?: string[] }[];
  }[];
}

async function readReport(file: string, output: string, candidates: string[]): Promise<Omit<RunResult, 'lines'>[]> {
  const empty = (suiteError: string) => candidates.map(() => ({ passed: new Set<string>(), failed: new Map<string, string>(), suiteError }));
  let report: JsonReport;
  try {
    report = JSON.parse(await readFile(file, 'utf8')) as JsonReport;
  } catch {
    if (/No tests? (files )?found/i.test(output)) return empty(NOT_PICKED_UP + tail(output));
    return empty(`the runner wrote no report:\n${tail(output)}`);
  }
  const results = report.testResults ?? [];
  return candidates.map((candidate) => {
    const passed = new Set<string>();
    const failed = new Map<string, string>();
    // One file alone: its suite is the report's only one, whatever name the runner gave it.
    const mine = candidates.length === 1 ? results : results.filter((suite) => suite.name !== undefined && path.resolve(suite.name) === candidate);
    let suiteError: string | undefined;
    if (mine.length === 0) suiteError = NOT_PICKED_UP + tail(output);
    for (const suite of mine) {
      const assertions = suite.assertionResults ?? [];
      for (const a of assertions) {
        const title = a.title ?? '';
        if (a.status === 'passed') passed.add(title);
        else if (a.status === 'failed') failed.set(title, firstLine(stripAnsi(a.failureMessages?.join('\n') ?? 'failed')));
      }
      if (suite.status === 'failed' && assertions.length === 0) suiteError = stripAnsi(suite.message?.trim() || tail(output));
    }
    return { passed, failed, suiteError };
  });
}

async function readCoverage(dir: string, source: string): Promise<number | undefined> {
  try {
    const summary = JSON.parse(await readFile(path.join(dir, 'coverage-summary.json'), 'utf8')) as Record<string, { lines?: { pct?: number } }>;
    const entry = summary[source] ?? Object.entries(summary).find(([key]) => key !== 'total' && path.resolve(key) === source)?.[1];
    return typeof entry?.lines?.pct === 'number' ? entry.lines.pct : 0;
  } catch {
    throw new UserError(`the runner wrote no coverage summary for ${source}`, {
      retryable: false,
      hint: 'For vitest, install @vitest/coverage-v8 in the target; or drop `coverage: true` from the task.',
    });
  }
}

/** Remove directories this run created for the candidate, when they are empty again. */
async function removeEmptyDirs(from: string, upTo: string): Promise<void> {
  for (let dir = from; dir.startsWith(upTo) && dir.length >= upTo.length; dir = path.dirname(dir)) {
    try {
      await rmdir(dir);
    } catch {
      return; // not empty (or gone): stop
    }
    if (dir === upTo) return;
  }
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

function firstLine(message: string): string {
  return message.split('\n').find((line) => line.trim() !== '')?.trim().slice(0, 300) ?? 'failed';
}

function tail(output: string): string {
  return stripAnsi(output).trim().split('\n').slice(-12).join('\n');
}
