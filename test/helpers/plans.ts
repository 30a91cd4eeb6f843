/**
 * End-to-end test helpers: a temporary target repository holding a plan, the
 * CLI started as a real child process against it, and small waits on real
 * processes. Nothing of our own code is mocked: the CLI is the real entry,
 * bundled from today's sources (so a test never runs a stale or half-rebuilt
 * dist/ while others edit and build), and tasks run real programs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildCli } from '../../scripts/build.mjs';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';


/** A plan as written in phases.yaml (JSON is valid YAML, so it is written as JSON). */
export type PlanInput = Record<string, unknown> & { phases: Record<string, unknown>[] };

export interface Repo {
  /** The target repository (real path); the plan is `phases.yaml` in it. */
  dir: string;
  planFile: string;
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh target repository under the OS temp dir holding `plan` and `files`; removed after the test file. */
export function makeRepo(plan: PlanInput, files: Record<string, string> = {}): Repo {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-e2e-')));
  made.push(dir);
  const repo = { dir, planFile: path.join(dir, 'phases.yaml') };
  writePlan(repo, plan);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return repo;
}

/** Replace the repository's plan. */
export function writePlan(repo: Repo, plan: PlanInput): void {
  fs.writeFileSync(repo.planFile, `${JSON.stringify({ version: 1, project: { name: 'e2e' }, ...plan }, null, 2)}\n`);
}

/** A `command` task running `script` through sh, in the target root. */
export function shTask(id: string, script: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, type: 'command', run: ['sh', '-c', script], ...extra };
}

/** A task that appends `task <id>` to out.txt unless the line is there: idempotent, so a rerun adds nothing. */
export function appendTask(id: string): Record<string, unknown> {
  return shTask(id, `grep -qx 'task ${id}' out.txt 2>/dev/null || echo 'task ${id}' >> out.txt`);
}

// ---------------------------------------------------------------------------
// The CLI as a child process

let bundled: Promise<string> | undefined;

/** The CLI entry bundled from the sources into a temp dir, once per test file. */
function cliEntry(): Promise<string> {
  bundled ??= (async () => {
    // Inside the project, so that the bundle's external packages (prettier, ts-morph) resolve from node_modules.
    const cacheDir = fileURLToPath(new URL('../../node_modules/.cache', import.meta.url));
    fs.mkdirSync(cacheDir, { recursive: true });
    const outdir = fs.mkdtempSync(path.join(cacheDir, 'orchestrate-cli-'));
    made.push(outdir);
    await buildCli(outdir, { logLevel: 'silent' });
    return path.join(outdir, 'cli.js');
  })();
  return bundled;
}

export interface CliResult {
  /** Exit code; null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface CliOptions {
  env?: Record<string, string>;
  /** A CLI bundle other than today's sources as they are (see stand-in-cli.ts). */
  entry?: string;
  /** Kill (SIGKILL) the CLI when it runs longer; the test then fails on its result. */
  timeoutMs?: number;
}

export interface RunningCli {
  child: ChildProcess;
  pid: number;
  result: Promise<CliResult>;
  /** Output so far. */
  stdout: () => string;
  stderr: () => string;
}

/** Start `orchestrate ...args` against the repository (`--config` and `--cwd` name it, so its path is on the command line). */
export async function startCli(repo: Repo, args: string[], options: CliOptions = {}): Promise<RunningCli> {
  const entry = options.entry ?? (await cliEntry());
  const started = performance.now();
  const child = spawn(process.execPath, [entry, ...args, '--config', repo.planFile, '--cwd', repo.dir], {
    cwd: repo.dir,
    env: { ...process.env, NO_COLOR: '1', CI: 'true', ORCHESTRATE_FORCE_MAIN: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 180_000);
  const result = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, durationMs: performance.now() - started });
    });
  });
  if (child.pid === undefined) throw new Error('the CLI did not start');
  return { child, pid: child.pid, result, stdout: () => stdout, stderr: () => stderr };
}

/** Run `orchestrate ...args` to the end. */
export async function runCli(repo: Repo, args: string[], options: CliOptions = {}): Promise<CliResult> {
  return (await startCli(repo, args, options)).result;
}

/** The events a `--reporter json` run printed (the final summary included). */
export function jsonEvents(stdout: string): Array<Record<string, unknown> & { type: string }> {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown> & { type: string });
}

export interface StatusTask {
  id: string;
  status: string;
  attempts: number;
  error: string | null;
  summary: string | null;
  decision: { decision: string } | null;
}
export interface StatusReport {
  plan_changed: boolean;
  last_run: { id: string; status: string } | null;
  runs: number;
  phases: Array<{ id: string; status: string; done: number; total: number; checkpoints: Array<{ name: string; passed: boolean; detail: string }>; groups: Array<{ id: string; tasks: StatusTask[] }> }>;
}

/** `orchestrate status --json`, parsed. */
export async function statusJson(repo: Repo): Promise<StatusReport> {
  const result = await runCli(repo, ['status', '--json']);
  if (result.code !== 0) throw new Error(`status exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as StatusReport;
}

/** Task id -> shown status, from a status report. */
export function taskStatuses(report: StatusReport): Record<string, string> {
  return Object.fromEntries(report.phases.flatMap((p) => p.groups.flatMap((g) => g.tasks.map((t) => [t.id, t.status]))));
}

// ---------------------------------------------------------------------------
// Processes and files

export { delay, isAlive, processesUsing, waitUntil } from './processes.js';

/** sha256 of every file under `dir` (relative path -> hash), symlinks as their targets. */
export function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) {
        out[`${rel}/`] = 'dir';
        walk(rel);
      } else if (entry.isSymbolicLink()) out[rel] = `-> ${fs.readlinkSync(path.join(dir, rel))}`;
      else out[rel] = createHash('sha256').update(fs.readFileSync(path.join(dir, rel))).digest('hex');
    }
  };
  walk('');
  return out;
}
