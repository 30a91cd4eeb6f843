/**
 * Runs one candidate test module under pytest, alone, as the project runs its
 * tests (`python -m pytest` in the project directory), but from a scratch
 * working directory so that nothing the code writes lands in the target. The
 * runner needs the file on disk, so the candidate is written under a
 * temporary name beside where it will live (so conftest.py files and imports
 * resolve the same) and always removed afterwards, with any folder made for
 * it. The outcome of each test comes from a JUnit XML report, the line
 * coverage of the source from coverage.py's JSON report, both written to a
 * temporary directory outside the target. Bytecode and pytest's cache are
 * kept out of the target.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '../../../src/errors.js';
import { runProcess } from '../../../src/engine/process.js';

export interface PytestRunOptions {
  python: string;
  root: string;
  /** Root-relative directory pytest runs in. */
  projectDir: string;
  /** Root-relative path where the test module will live. */
  testFile: string;
  content: string;
  /** Extra environment: PYTHONPATH reaching the project's packages. */
  env: Record<string, string>;
  /** Root-relative source whose line coverage to measure, when wanted. */
  coverageOf?: string;
  signal: AbortSignal;
  log: (line: string) => void;
}

export interface TestResult {
  status: 'passed' | 'failed' | 'skipped';
  /** Why it failed or was skipped (first line of the report). */
  message: string;
}

export interface PytestReport {
  tests: Map<string, TestResult>;
  /** pytest could not collect the module (its imports fail, say): the error. */
  collectionError: string | undefined;
  /** The whole module was skipped (a `pytest.importorskip` at its top): why. */
  moduleSkipped: string | undefined;
  /** Percentage of the source's lines run, when coverage was measured. */
  coverage: number | undefined;
}

/** Run `content` as if it were `testFile`, alone, and report each test's outcome. */
export async function runCandidate(options: PytestRunOptions): Promise<PytestReport> {
  const finalPath = path.join(options.root, options.testFile);
  const dir = path.dirname(finalPath);
  const scratch = await mkdtemp(path.join(tmpdir(), 'orchestrate-pytest-'));
  const candidate = path.join(dir, `_orchestrate_candidate_${randomBytes(4).toString('hex')}_${path.basename(finalPath)}`);
  try {
    claimDir(dir);
    await writeFile(candidate, options.content);
    const projectDir = path.join(options.root, options.projectDir);
    // Run from a scratch directory, so code that writes relative paths writes
    // there and not into the target; the project is reached through
    // --rootdir (pytest's ini file, conftest.py files) and PYTHONPATH (imports).
    const cwd = path.join(scratch, 'cwd');
    await mkdir(cwd);
    const junit = path.join(scratch, 'junit.xml');
    const env = {
      ...options.env,
      PYTHONDONTWRITEBYTECODE: '1',
      PYTEST_ADDOPTS: '',
      COVERAGE_FILE: path.join(scratch, 'coverage.data'),
    };
    const rcfile = path.join(scratch, 'coveragerc');
    const measured = options.coverageOf === undefined ? undefined : path.join(options.root, options.coverageOf);
    if (measured !== undefined) await writeFile(rcfile, '[run]\n');
    const runner = measured === undefined ? ['-m', 'pytest'] : ['-m', 'coverage', 'run', `--rcfile=${rcfile}`, `--include=${measured}`, '-m', 'pytest'];
    // Plugins that would write into the target (pytest's cache, pytest-benchmark's .benchmarks/) are off.
    const args = [`--rootdir=${projectDir}`, '-q', '-p', 'no:cacheprovider', '-p', 'no:benchmark', '-p', 'no:cov', '-o', 'addopts=', '-o', 'junit_family=xunit1', `--junitxml=${junit}`];
    const result = await runProcess([options.python, ...runner, ...args, candidate], {
      cwd,
      env,
      signal: options.signal,
      timeoutMs: 10 * 60_000,
    });
    if (result.cancelled) throw new UserError(`pytest on ${options.testFile} was cancelled`);
    const xml = await readFile(junit, 'utf8').catch(() => undefined);
    if (xml === undefined) {
      throw new UserError(`pytest could not run ${options.testFile} from ${options.projectDir || 'the root'}: ${lastLines(result.output)}`, {
        file: options.testFile,
        hint: `Run \`${options.python} -m pytest ${path.relative(projectDir, finalPath)}\` in ${options.projectDir || 'the root'} to see why.`,
      });
    }
    const report = parseJunit(xml);
    const coverage = measured === undefined ? undefined : await lineCoverage(options, cwd, env, rcfile, measured, scratch);
    return { ...report, coverage };
  } finally {
    await rm(candidate, { force: true });
    releaseDir(dir);
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Candidates being run per folder, and the folders made for candidates (absolute paths). */
const users = new Map<string, number>();
const made = new Set<string>();

/**
 * Make the candidate's folder if needed, and count this candidate in it.
 * Synchronous on purpose, like releaseDir: tasks running at once share
 * folders, and no other task may run between the check and the change.
 */
function claimDir(dir: string): void {
  users.set(dir, (users.get(dir) ?? 0) + 1);
  const first = mkdirSync(dir, { recursive: true });
  for (let d = dir; first !== undefined && d.startsWith(first); d = path.dirname(d)) made.add(d);
}

/** Stop counting the candidate; remove the folders made for candidates, deepest first, while empty and unused. */
function releaseDir(dir: string): void {
  const left = (users.get(dir) ?? 1) - 1;
  if (left > 0) users.set(dir, left);
  else users.delete(dir);
  for (let d = dir; made.has(d) && !users.has(d); d = path.dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return; // not empty: what holds it cleans up after itself
    }
    made.delete(d);
  }
}

async function lineCoverage(
  options: PytestRunOptions,
  cwd: string,
  env: Record<string, string>,
  rcfile: string,
  measured: string,
  scratch: string,
): Promise<number> {
  const json = path.join(scratch, 'coverage.json');
  const result = await runProcess([options.python, '-m', 'coverage', 'json', `--rcfile=${rcfile}`, `--include=${measured}`, '-o', json], {
    cwd,
    env,
    signal: options.signal,
    timeoutMs: 60_000,
  });
  // "No data to report": the source was never imported.
  if (result.exitCode !== 0) return 0;
  const data = JSON.parse(await readFile(json, 'utf8')) as { totals?: { percent_covered?: number } };
  return data.totals?.percent_covered ?? 0;
}

/** Each test's outcome from a JUnit XML report (pytest's xunit1 flavour). */
export function parseJunit(xml: string): Omit<PytestReport, 'coverage'> {
  const tests = new Map<string, TestResult>();
  let collectionError: string | undefined;
  let moduleSkipped: string | undefined;
  for (const match of xml.matchAll(/<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const attrs = attributes(match[1] ?? '');
    const inner = match[2] ?? '';
    const problem = /<(failure|error)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1>)/.exec(inner);
    const skipped = /<skipped\b([^>]*?)(?:\/>|>([\s\S]*?)<\/skipped>)/.exec(inner);
    const name = attrs.name ?? '';
    // A test has its module as classname; the module itself (collection) has none.
    const wholeModule = (attrs.classname ?? '') === '';
    if (problem !== null && wholeModule) {
      collectionError = unescape(problem[3] ?? attributes(problem[2] ?? '').message ?? 'collection failure');
      continue;
    }
    if (skipped !== null && problem === null && wholeModule) {
      const reason = /Skipped: ([\s\S]*?)['"]\)\s*$/.exec(unescape(skipped[2] ?? ''));
      moduleSkipped = firstLine(reason?.[1] ?? attributes(skipped[1] ?? '').message ?? 'skipped');
      continue;
    }
    if (problem !== null) {
      tests.set(name, { status: 'failed', message: firstLine(attributes(problem[2] ?? '').message ?? problem[1] ?? 'failed') });
    } else if (skipped !== null) {
      tests.set(name, { status: 'skipped', message: firstLine(attributes(skipped[1] ?? '').message ?? 'skipped') });
    } else {
      tests.set(name, { status: 'passed', message: '' });
    }
  }
  return { tests, collectionError, moduleSkipped };
}

function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of text.matchAll(/([\w:-]+)="([^"]*)"/g)) out[match[1] ?? ''] = unescape(match[2] ?? '');
  return out;
}

function unescape(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([\da-f]+);/gi, (_, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '')?.trim().slice(0, 300) ?? '';
}

function lastLines(text: string): string {
  return text.split('\n').filter((line) => line.trim() !== '').slice(-3).join(' / ');
}
