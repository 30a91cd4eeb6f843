/**
 * Runs the built CLI (`bin/orchestrate.js`) as a child process, the way a user
 * does, with colour off. Build first (`npm run build`); the tests read dist/.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const cliPath = path.join(repoRoot, 'bin', 'orchestrate.js');

export interface CliResult {
  /** Exit code; null only when the process was killed by a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  /** Working directory of the process (default: the repository root). */
  cwd?: string;
  /** Extra environment variables, over the parent's. */
  env?: Record<string, string>;
  /** Text written to stdin, which is then closed. */
  input?: string;
  /** Kill the process after this long (default 30 s). */
  timeoutMs?: number;
}

/** Run `orchestrate <args>` and collect its exit code and output. */
export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliResult> {
  if (!existsSync(path.join(repoRoot, 'dist', 'cli.js'))) {
    return Promise.reject(new Error('dist/cli.js is missing: run `npm run build` before these tests'));
  }
  return new Promise((resolve, reject) => {
    // Colour off unless a test asks for it: the parent's FORCE_COLOR must not leak in.
    const { FORCE_COLOR: _forced, ...inherited } = process.env;
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...inherited, NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 180_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => {
      // The CLI may exit before reading stdin; that is not the test's concern.
    });
    child.stdin.end(options.input ?? '');
  });
}
