/**
 * The one place the fleet drives a repository's run: this CLI started as a
 * child process per repository (`run --pr --reporter json`, then `status
 * --json`), in the repository's shallow clone. A child process keeps each
 * repository's run exactly what `orchestrate run` does on its own (its lock,
 * its state, its signals, its commits and pull requests), isolates a crash or
 * a hung task to one repository, and can be waited for or killed by pid.
 *
 * The token reaches the child and git only through the environment (and, for
 * https remotes, git's `GIT_CONFIG_*` variables carrying an auth header),
 * never on a command line and never in a file.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { CoverageFigures } from './fleet-state.js';

export interface ChildRunOptions {
  /** The script of this CLI (bin/orchestrate.js or dist/cli.js). */
  cliEntry: string;
  clone: string;
  planFile: string;
  /** owner/name: where the pull requests go. */
  slug: string;
  /** The clone URL (an https one gets the token as an auth header for the push). */
  url: string;
  /** undefined: every phase. */
  phases: string[] | undefined;
  dryRun: boolean;
  branchPattern: string | undefined;
  draft: boolean;
  labels: string[];
  reviewers: string[];
  author: string | undefined;
  yes: boolean;
  token: string | undefined;
  /** The fleet's own environment (GITHUB_API_URL and the like pass through). */
  env: Record<string, string | undefined>;
  /** Output of the child goes here (appended). */
  logFile: string;
  /** Called with the child's pid as soon as it runs. */
  onSpawn?: (pid: number) => void;
  signal?: AbortSignal | undefined;
}

export interface ChildRunResult {
  /** The child's exit code; null when it was killed. */
  exitCode: number | null;
  stdout: string;
  /** The last `error:` line the child printed, for the fleet's summary. */
  error: string | undefined;
}

/** Run the plan in the clone as `orchestrate run` would. */
export async function runInClone(options: ChildRunOptions): Promise<ChildRunResult> {
  const selection = options.phases?.length ? options.phases.flatMap((id) => ['--phase', id]) : ['--all'];
  const common = ['--config', options.planFile, '--cwd', options.clone, '--no-color'];
  const args = options.dryRun
    ? ['run', ...selection, '--dry-run', '--reporter', 'plain', ...common]
    : [
        'run',
        ...selection,
        '--pr',
        ...(options.branchPattern ? ['--branch', options.branchPattern] : []),
        ...(options.draft ? ['--draft'] : []),
        ...options.labels.flatMap((label) => ['--label', label]),
        ...options.reviewers.flatMap((login) => ['--reviewer', login]),
        ...(options.author ? ['--author', options.author] : []),
        ...(options.yes ? ['--yes'] : []),
        '--reporter',
        'json',
        ...common,
      ];
  return runChild(options, args);
}

export interface PhaseStatus {
  id: string;
  name: string;
  status: string;
  expected_coverage: CoverageFigures | null;
  measured_coverage: CoverageFigures | null;
}

/** `orchestrate status --json` of the clone: each phase's status and coverage. */
export async function statusOfClone(options: Pick<ChildRunOptions, 'cliEntry' | 'clone' | 'planFile' | 'env' | 'logFile' | 'slug' | 'token' | 'url'>): Promise<PhaseStatus[] | undefined> {
  const result = await runChild(
    { ...options, onSpawn: undefined, signal: undefined },
    ['status', '--json', '--config', options.planFile, '--cwd', options.clone, '--no-color'],
    false,
  );
  if (result.exitCode !== 0) return undefined;
  try {
    return (JSON.parse(result.stdout) as { phases: PhaseStatus[] }).phases.map(({ id, name, status, expected_coverage, measured_coverage }) => ({ id, name, status, expected_coverage, measured_coverage }));
  } catch {
    return undefined;
  }
}

/** The environment of a child: the repository named, the token in the variables the CLI reads, git's auth header for https. */
export function childEnvironment(env: Record<string, string | undefined>, slug: string, token: string | undefined, url?: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  // The fleet's job summary and outputs are the fleet's to write, not each repository's.
  delete out.GITHUB_STEP_SUMMARY;
  delete out.GITHUB_OUTPUT;
  out.GITHUB_REPOSITORY = slug;
  out.CI = 'true';
  out.NO_COLOR = '1';
  if (token) {
    out.GH_TOKEN = token;
    out.GITHUB_TOKEN = token;
  }
  const host = url && /^https:\/\//.test(url) ? new URL(url).host : undefined;
  if (token && host) Object.assign(out, gitAuthConfig(host, token, out));
  return out;
}

/** git config given through the environment (GIT_CONFIG_COUNT...), so the header is never written to a file. */
function gitAuthConfig(host: string, token: string, env: Record<string, string>): Record<string, string> {
  const index = Number(env.GIT_CONFIG_COUNT ?? '0') || 0;
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return {
    GIT_CONFIG_COUNT: String(index + 1),
    [`GIT_CONFIG_KEY_${index}`]: `http.https://${host}/.extraheader`,
    [`GIT_CONFIG_VALUE_${index}`]: `AUTHORIZATION: basic ${basic}`,
  };
}

/** Replace the token wherever it appears (a few characters are no real token, and would garble everything). */
export function redact(text: string, token: string | undefined): string {
  return token && token.length >= 8 ? text.split(token).join('***') : text;
}

async function runChild(options: Omit<ChildRunOptions, 'phases' | 'dryRun' | 'branchPattern' | 'draft' | 'labels' | 'reviewers' | 'author' | 'yes'>, args: string[], log = true): Promise<ChildRunResult> {
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const logStream = log ? fs.createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  logStream?.write(`\n$ orchestrate ${args.map((arg) => (/\s/.test(arg) ? JSON.stringify(arg) : arg)).join(' ')}\n`);
  const child = spawn(process.execPath, [options.cliEntry, ...args], {
    cwd: options.clone,
    env: childEnvironment(options.env, options.slug, options.token, options.url),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  const stop = () => child.kill('SIGTERM');
  options.signal?.addEventListener('abort', stop, { once: true });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    logStream?.write(redact(chunk, options.token));
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    logStream?.write(redact(chunk, options.token));
  });
  const exitCode = await new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      stderr += `error: ${error.message}\n`;
      resolve(null);
    });
    child.once('close', (code) => resolve(code));
  });
  options.signal?.removeEventListener('abort', stop);
  await new Promise<void>((resolve) => (logStream ? logStream.end(resolve) : resolve()));
  const errors = stderr.split('\n').filter((line) => line.startsWith('error:'));
  return { exitCode, stdout: redact(stdout, options.token), error: errors.length ? redact(errors[errors.length - 1] ?? '', options.token).slice('error: '.length) : undefined };
}

/** `orchestrate validate` of the plan, once before the fleet runs it; its report when it fails. */
export async function validatePlanFile(cliEntry: string, planFile: string, env: Record<string, string | undefined>): Promise<string | undefined> {
  let stderr = '';
  const child = spawn(process.execPath, [cliEntry, 'validate', '--config', planFile, '--no-color'], { env: { ...childEnvironment(env, 'fleet/plan', undefined) }, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(null));
    child.once('close', resolve);
  });
  return code === 0 ? undefined : stderr.trim() || `orchestrate validate ended with exit code ${String(code)}`;
}
