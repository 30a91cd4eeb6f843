/**
 * The whole roadmap (config/phases.yaml: 6 phases, 14 groups, 61 tasks) run
 * by the built CLI (bin/orchestrate.js; `npm run build` first) against a copy of examples/demo-monorepo that is a real git
 * repository with its dependencies installed, the way a user runs it:
 *
 *   phases 1-3, then coverage is read (at least 60 %); phase 4, then the
 *   workflows are checked; phase 5, then coverage again (at least 80 %, and
 *   the Python service's too); then the rest; then a second run that must
 *   change nothing.
 *
 * Real everything: npm ci (once per lock file, cached under
 * node_modules/.cache/ and copied into the target), Jest, pytest in a
 * virtualenv over the system's packages (first on PATH, as the demo's README
 * says), git. Slow by nature (minutes): run it alone with
 * `npx vitest run test/e2e/roadmap.test.ts`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { jsonEvents, type StatusReport } from '../helpers/plans.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const demo = path.join(repoRoot, 'examples', 'demo-monorepo');
const plan = path.join(repoRoot, 'config', 'phases.yaml');
const cache = path.join(repoRoot, 'node_modules', '.cache');

const MINUTE = 60_000;
const STEP = 40 * MINUTE;

type Event = ReturnType<typeof jsonEvents>[number];

/** A command in `cwd`; throws with its output when it fails. */
function sh(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status} in ${cwd}\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/** The demo's node_modules, installed once per package-lock.json with npm ci. */
function installedModules(): string {
  const lock = fs.readFileSync(path.join(demo, 'package-lock.json'));
  const dir = path.join(cache, `demo-monorepo-${createHash('sha256').update(lock).digest('hex').slice(0, 12)}`);
  const modules = path.join(dir, 'node_modules');
  if (fs.existsSync(path.join(dir, '.complete'))) return modules;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(demo, file), path.join(dir, file));
  sh(dir, 'npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline']);
  fs.writeFileSync(path.join(dir, '.complete'), '');
  return modules;
}

/**
 * The directory of a python3 with pytest, pytest-cov and coverage.py: the one
 * first on PATH (./setup.sh's .venv) when it has them, else a virtualenv over
 * the system python3's packages: no download needed.
 */
function pythonVenv(): string {
  const onPath = spawnSync('python3', ['-c', 'import pytest, pytest_cov, coverage, os, sys; print(os.path.dirname(sys.executable))'], { encoding: 'utf8' });
  if (onPath.status === 0) return onPath.stdout.trim();
  const venv = path.join(cache, 'demo-venv');
  const python = path.join(venv, 'bin', 'python');
  if (!fs.existsSync(python)) sh(repoRoot, '/usr/bin/python3', ['-m', 'venv', '--system-site-packages', venv]);
  const probe = spawnSync(python, ['-c', 'import pytest, pytest_cov, coverage'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(`the virtualenv ${venv} lacks pytest, pytest-cov or coverage: install python3-pytest, python3-pytest-cov and python3-venv (see .ci/run)\n${probe.stderr}`);
  }
  return path.join(venv, 'bin');
}

/** Copy the demo (without what its own .gitignore leaves out) to a fresh temp dir, install, commit. */
function demoCopy(modules: string): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-roadmap-')));
  const skip = new Set(['node_modules', 'coverage', 'dist', '__pycache__', '.pytest_cache', '.venv', '.orchestrate']);
  fs.cpSync(demo, dir, { recursive: true, filter: (source) => !skip.has(path.basename(source)) });
  fs.cpSync(modules, path.join(dir, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  sh(dir, 'git', ['init', '-q', '-b', 'main']);
  commitAll(dir, 'before the rollout');
  return dir;
}

function commitAll(dir: string, message: string): void {
  sh(dir, 'git', ['add', '-A']);
  sh(dir, 'git', ['-c', 'user.name=Roadmap Test', '-c', 'user.email=roadmap@example.invalid', 'commit', '-q', '--allow-empty', '-m', message]);
}

/** Lines % from the demo's istanbul summary. */
function jestLines(dir: string): number {
  const summary = JSON.parse(fs.readFileSync(path.join(dir, 'coverage', 'coverage-summary.json'), 'utf8')) as { total: { lines: { pct: number } } };
  return summary.total.lines.pct;
}

/** Lines % from the Python service's coverage.py JSON report. */
function pythonLines(dir: string): number {
  const report = JSON.parse(fs.readFileSync(path.join(dir, 'python', 'coverage.json'), 'utf8')) as { totals: { num_statements: number; covered_lines: number } };
  return (100 * report.totals.covered_lines) / report.totals.num_statements;
}

/** What went wrong in a run, for the assertion message: each failed task and checkpoint with its error. */
function failures(events: Event[]): string {
  const lines: string[] = [];
  let blocked = 0;
  for (const event of events) {
    if (event.type === 'task:finish' && event['status'] === 'failed') lines.push(`task ${String(event['taskId'])}: ${String(event['error'])}`);
    if (event.type === 'checkpoint:finish' && event['passed'] === false) lines.push(`phase ${String(event['phaseId'])} checkpoint ${String(event['name'])}: ${String(event['detail'])}`);
    if (event.type === 'task:skip' && event['reason'] === 'dependency-failed') blocked++;
  }
  if (blocked > 0) lines.push(`${blocked} task(s) not run because of these`);
  return lines.join('\n');
}

interface RunSummary {
  events: Event[];
  summary: Event & { exitCode: number; counts: Record<string, number>; failedTasks: string[] };
  stderr: string;
}

describe('the roadmap on the demo monorepo', () => {
  let dir = '';
  let env: Record<string, string> = {};

  beforeAll(() => {
    const bin = pythonVenv();
    dir = demoCopy(installedModules());
    env = { CI: 'true', PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}` };
  }, 15 * MINUTE);

  afterAll(() => {
    if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
  });

  async function run(args: string[]): Promise<RunSummary> {
    const result = await runCli(['run', ...args, '--yes', '--reporter', 'json', '--config', plan, '--cwd', dir], { env, timeoutMs: STEP });
    const events = jsonEvents(result.stdout);
    const summary = events.at(-1) as RunSummary['summary'] | undefined;
    if (summary?.type !== 'summary') throw new Error(`run ${args.join(' ')} ended without a summary (exit ${result.code}):\n${result.stderr}`);
    return { events, summary, stderr: result.stderr };
  }

  it('starts from the demo as committed: its tests pass, at about 25 % line coverage', () => {
    sh(dir, 'npx', ['jest', '--coverage', '--coverageReporters=json-summary']);
    expect(jestLines(dir)).toBeGreaterThan(15);
    expect(jestLines(dir)).toBeLessThan(35);
    expect(sh(path.join(dir, 'python'), 'python3', ['-m', 'pytest', '-q'], { ...process.env, ...env })).toMatch(/passed/);
    fs.rmSync(path.join(dir, 'coverage'), { recursive: true, force: true });
  }, 5 * MINUTE);

  it('runs phases 1 to 3 and reaches at least the 60 % of lines phase 3 promises', async () => {
    const { summary, events } = await run(['--phase', '1', '--phase', '2', '--phase', '3']);
    expect(summary.exitCode, failures(events)).toBe(0);
    expect(summary.counts['total']).toBe(27);
    expect(jestLines(dir)).toBeGreaterThanOrEqual(60);
  }, STEP);

  it('runs phase 4 and leaves workflows GitHub accepts, with the fixes in them', async () => {
    const { summary, events } = await run(['--phase', '4']);
    expect(summary.exitCode, failures(events)).toBe(0);
    expect(summary.counts['total']).toBe(14);
    const workflows = path.join(dir, '.github', 'workflows');
    const names = fs.readdirSync(workflows).sort();
    expect(names).toEqual(['ci.yml', 'deploy.yml', 'rollback.yml', 'security.yml']);
    for (const name of names) {
      expect(validateWorkflow(fs.readFileSync(path.join(workflows, name), 'utf8')).errors, name).toEqual([]);
    }
    const ci = parse(fs.readFileSync(path.join(workflows, 'ci.yml'), 'utf8')) as { jobs: Record<string, Record<string, unknown>> };
    expect(ci.jobs['test']?.['continue-on-error']).toBeUndefined();
    expect(fs.readFileSync(path.join(workflows, 'deploy.yml'), 'utf8')).not.toContain('TODO: deploy');
    expect(fs.readFileSync(path.join(workflows, 'security.yml'), 'utf8')).not.toMatch(/exit-code: "?0"?\s*$/m);
  }, STEP);

  it('leaves the demo’s own tests passing after phases 1 to 4, Node and Python', () => {
    expectOwnTestsPass();
  }, 10 * MINUTE);

  describe('the rest of the roadmap', () => {
    it('runs phase 5 and reaches at least the 80 % of lines it promises, the Python service too', async () => {
      const { summary, events } = await run(['--phase', '5']);
      expect(summary.exitCode, failures(events)).toBe(0);
      expect(jestLines(dir)).toBeGreaterThanOrEqual(80);
      expect(pythonLines(dir)).toBeGreaterThanOrEqual(80);
    }, STEP);

    it('finishes the roadmap: all 6 phases and 61 tasks done, every checkpoint passed', async () => {
      const { summary, events } = await run(['--all']);
      expect(summary.exitCode, failures(events)).toBe(0);
      const shown = await runCli(['status', '--json', '--config', plan, '--cwd', dir], { env });
      expect(shown.code, shown.stderr).toBe(0);
      const status = JSON.parse(shown.stdout) as StatusReport;
      expect(status.phases.map((phase) => [phase.id, phase.status])).toEqual(['1', '2', '3', '4', '5', '6'].map((id) => [id, 'done']));
      const tasks = status.phases.flatMap((phase) => phase.groups.flatMap((group) => group.tasks));
      expect(tasks).toHaveLength(61);
      expect(tasks.filter((task) => task.status !== 'done').map((task) => `${task.id} ${task.status}`)).toEqual([]);
      const checkpoints = status.phases.flatMap((phase) => phase.checkpoints.map((c) => ({ phase: phase.id, ...c })));
      expect(checkpoints.filter((c) => !c.passed)).toEqual([]);
      expect(checkpoints.length).toBe(12);
    }, STEP);

    it('leaves the demo’s own tests passing at the end, Node and Python', () => {
      expectOwnTestsPass();
    }, 10 * MINUTE);

    it('changes nothing when run again', async () => {
      commitAll(dir, 'after the rollout');
      const { summary, events } = await run(['--all']);
      expect(summary.exitCode, failures(events)).toBe(0);
      expect(summary.counts['doneEarlier']).toBe(61);
      expect(summary.counts['changed']).toBe(0);
      expect(changedFiles()).toEqual([]);
    }, STEP);

    it('changes nothing when phase 5 is forced to run again: its generated tests, edits and templates are already in place', async () => {
      const { summary, events } = await run(['--phase', '5', '--force']);
      expect(summary.exitCode, failures(events)).toBe(0);
      const changed = events.filter((e) => e.type === 'task:finish' && e['status'] === 'changed').map((e) => String(e['taskId']));
      // 5.8 installs the Python test dependencies: a command, reported as changed whenever it runs.
      expect(changed).toEqual(['5.8']);
      expect(changedFiles()).toEqual([]);
    }, STEP);
  });

  /** Files that differ from the last commit, leaving out orchestrate's own state. */
  function changedFiles(): string[] {
    const porcelain = execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' });
    return porcelain.split('\n').filter((line) => line !== '' && !line.slice(3).startsWith('.orchestrate/'));
  }

  function expectOwnTestsPass(): void {
    expect(sh(dir, 'npm', ['test', '--silent'], { ...process.env, ...env })).toBeDefined();
    expect(sh(path.join(dir, 'python'), 'python3', ['-m', 'pytest', '-q'], { ...process.env, ...env })).toMatch(/passed/);
  }
});
