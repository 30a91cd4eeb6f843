/**
 * What the tests of the Python generator share: temporary projects made of
 * real files, a request with sensible defaults, and an independent pytest run
 * of a generated module the way a person runs it (not through our runner).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import type { PythonTestRequest } from './index.js';
import { pickPython } from './interpreter.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary project holding `files`; removed after the test file. */
export function makeProject(files: Record<string, string>): string {
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'orchestrate-pytests-')));
  made.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

/** A request for `source` in `root`, reading it from disk; `overrides` win. */
export function request(root: string, source: string, testFile: string, overrides: Partial<PythonTestRequest> = {}): PythonTestRequest & { lines: string[] } {
  const lines: string[] = [];
  let existing: string | undefined;
  try {
    existing = readFileSync(path.join(root, testFile), 'utf8');
  } catch {
    existing = undefined;
  }
  return {
    root,
    source,
    sourceText: readFileSync(path.join(root, source), 'utf8'),
    testFile,
    existing,
    overwrite: false,
    verify: true,
    coverage: false,
    signal: new AbortController().signal,
    log: (line) => lines.push(line),
    lines,
    ...overrides,
  };
}

/** Every path under `root`, sorted (to show nothing was left behind). */
export function tree(root: string): string[] {
  return (readdirSync(root, { recursive: true }) as string[]).map((p) => p.split(path.sep).join('/')).sort();
}

export interface PytestSummary {
  code: number;
  output: string;
  passed: number;
  skipped: number;
  failed: number;
}

/** Run pytest on one test file from `cwd` as a person would, with bytecode and cache kept out. */
export async function runPytest(cwd: string, testFile: string, extraEnv: Record<string, string> = {}): Promise<PytestSummary> {
  const python = await pickPython('pytest', new AbortController().signal, cwd);
  let output: string;
  let code = 0;
  try {
    output = execFileSync(python, ['-m', 'pytest', '-q', '-rA', '-p', 'no:cacheprovider', '-p', 'no:benchmark', testFile], {
      cwd,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...extraEnv },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const failure = error as { status?: number; stdout?: string; stderr?: string };
    code = failure.status ?? -1;
    output = `${failure.stdout ?? ''}${failure.stderr ?? ''}`;
  }
  const count = (word: string): number => Number(new RegExp(`(\\d+) ${word}`).exec(output)?.[1] ?? 0);
  return { code, output, passed: count('passed'), skipped: count('skipped'), failed: count('failed') + count('error') };
}
