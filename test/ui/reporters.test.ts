/**
 * The plain and JSON reporters as a user meets them: the real CLI as a
 * process with its output piped, on a small plan with a retrying, a failing
 * and a skipped-dependent task.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cli = path.resolve('bin/orchestrate.js');
let dir: string;

const plan = `
version: 1
project: { name: reporters }
defaults: { backoff: { initial: 10ms, jitter: false } }
phases:
  - id: 1
    name: Build
    groups:
      - id: a
        execution: parallel
        tasks:
          - { id: "1.1", name: flaky, type: command, retries: 2, run: ["sh", "-c", "echo trying; test -f flag || { touch flag; exit 7; }"] }
          - { id: "1.2", name: broken, type: command, run: ["sh", "-c", "echo boom >&2; exit 3"], continue_on_error: false }
  - id: 2
    name: Ship
    groups:
      - id: a
        tasks:
          - { id: "2.1", name: ship it, type: command, run: ["true"] }
`;

function run(args: string[], env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CI: 'true' }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', [cli, ...args], { cwd: dir, env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as NodeJS.ErrnoException & { code: unknown }).code) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'orchestrate-reporters-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('plain reporter', () => {
  it('prints one timed line per event, the retry, the failure with its output, the blocked phase and a recap', async () => {
    await writeFile(path.join(dir, 'phases.yaml'), plan);
    const { code, stdout } = await run(['run', '--all']);
    expect(code).toBe(1);
    expect(stdout).not.toMatch(/\u001b\[/);
    const lines = stdout.split('\n');
    expect(lines.filter((l) => /^\d\d:\d\d:\d\d 1\.1 /.test(l)).length).toBeGreaterThanOrEqual(3);
    expect(stdout).toMatch(/1\.1\s+attempt 1\/3 failed: command failed with exit code 7.*retrying in 10ms/);
    expect(stdout).toMatch(/1\.1\s+changed .*2 attempts/);
    expect(stdout).toMatch(/1\.2\s+failed/);
    expect(stdout).toMatch(/2\.1\s+not run: phase 1 did not finish/);
    expect(stdout).toContain('Run failed.');
    expect(stdout).toMatch(/^ {2}- Phase 2 Ship: skipped, 1 task\(s\) blocked$/m);
    expect(stdout).toMatch(/Failures:\n\s+✗ 1\.2: command failed with exit code 3/);
    expect(stdout).toContain('boom');
    expect(stdout).toContain('orchestrate run --task 1.2');
  });
});

describe('JSON reporter', () => {
  it('writes only JSON lines: the events, then one summary', async () => {
    await rm(path.join(dir, '.orchestrate'), { recursive: true, force: true });
    await rm(path.join(dir, 'flag'), { force: true });
    const { code, stdout } = await run(['run', '--all', '--reporter', 'json']);
    expect(code).toBe(1);
    const events = stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events[0]).toMatchObject({ type: 'run:start', tasks: ['1.1', '1.2', '2.1'], dryRun: false });
    const attempts = events.filter((e) => e.type === 'task:attempt' && e.taskId === '1.1');
    expect(attempts.map((e) => e.attempt)).toEqual([1, 2]);
    expect(events.find((e) => e.type === 'task:retry')).toMatchObject({ taskId: '1.1', attempt: 1, maxAttempts: 3, delayMs: 10 });
    expect(events.find((e) => e.type === 'task:skip')).toMatchObject({ taskId: '2.1', reason: 'dependency-failed' });
    expect(events.find((e) => e.type === 'run:finish')).toMatchObject({ status: 'failed', exitCode: 1, counts: { total: 3, changed: 1, failed: 1, blocked: 1 } });
    const last = events[events.length - 1]!;
    expect(last).toMatchObject({ type: 'summary', status: 'failed', exitCode: 1, failedTasks: ['1.2'], awaitingTasks: [], coverageLines: null });
    expect(events.some((e) => e.type === 'task:output')).toBe(false);
    for (const event of events) expect(typeof event.runId).toBe('string');
  });
});

const checkpointPlan = `
version: 1
project: { name: checks }
phases:
  - id: 1
    name: Measure
    groups:
      - id: a
        tasks:
          - { id: "1.1", name: measure, type: command, run: ["sh", "-c", "mkdir -p coverage; echo '{\\"total\\":{\\"lines\\":{\\"pct\\":50}}}' > coverage/coverage-summary.json; echo measured"] }
    checkpoints:
      - { name: coverage, coverage: { summary: coverage/coverage-summary.json, min: { lines: 80 } } }
`;

describe('plain reporter, checkpoints', () => {
  it('reports a failed coverage checkpoint with measured against expected, and says to run the phase again', async () => {
    await rm(path.join(dir, '.orchestrate'), { recursive: true, force: true });
    await writeFile(path.join(dir, 'checks.yaml'), checkpointPlan);
    const { code, stdout } = await run(['run', '--all', '--config', 'checks.yaml']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^\d\d:\d\d:\d\d P1\s+checkpoint coverage failed: coverage below the minimum: lines 50% < 80%$/m);
    expect(stdout).toMatch(/Next:\n\s+fix what checkpoint coverage reports, then: orchestrate run --phase 1/);
    // Event lines all start with the time; no spinner frames anywhere.
    const events = stdout.slice(0, stdout.indexOf('\nRun failed.')).trim().split('\n');
    for (const line of events) expect(line).toMatch(/^\d\d:\d\d:\d\d \S+/);
    expect(stdout).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
  });

  it('puts the last measured line coverage in the JSON summary, and command output with --verbose', async () => {
    await rm(path.join(dir, '.orchestrate'), { recursive: true, force: true });
    const { stdout } = await run(['run', '--all', '--config', 'checks.yaml', '--reporter', 'json', '--verbose']);
    const events = stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.find((e) => e.type === 'checkpoint:finish')).toMatchObject({ passed: false, coverage: { lines: 50 }, expected: { lines: 80 } });
    expect(events.find((e) => e.type === 'task:output')).toMatchObject({ taskId: '1.1', line: 'measured' });
    expect(events.at(-1)).toMatchObject({ type: 'summary', status: 'failed', coverageLines: 50, failedTasks: [] });
  });
});

describe('plain reporter, --verbose', () => {
  it("shows each line of a command's output, without the escape sequences the command printed", async () => {
    await writeFile(
      path.join(dir, 'colours.yaml'),
      `version: 1
phases:
  - id: 1
    name: Colours
    groups:
      - id: a
        tasks:
          - { id: "1.1", name: colours, type: command, run: ["printf", "\\e[31mred\\e[0m text\\n50%%\\r100%%\\n"] }
`,
    );
    await rm(path.join(dir, '.orchestrate'), { recursive: true, force: true });
    const { code, stdout } = await run(['run', '--all', '--config', 'colours.yaml', '--verbose']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d\d:\d\d:\d\d 1\.1\s+│ red text$/m);
    expect(stdout).toMatch(/^\d\d:\d\d:\d\d 1\.1\s+│ 100%$/m);
    expect(stdout).not.toMatch(/[\u001b\r]/);
  });
});

describe('choosing a reporter', () => {
  const outside = () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    for (const name of ['CI', 'CONTINUOUS_INTEGRATION', 'BUILD_NUMBER', 'RUN_ID', 'GITHUB_ACTIONS']) delete env[name];
    return env;
  };

  it('prints plain lines when the output is a pipe, even outside CI', async () => {
    await rm(path.join(dir, '.orchestrate'), { recursive: true, force: true });
    const { code, stdout, stderr } = await run(['run', '--all', '--config', 'checks.yaml'], outside());
    expect(code).toBe(1);
    expect(stdout).toMatch(/^\d\d:\d\d:\d\d run\s+run /m);
    expect(stderr).toBe('');
  });

  it('refuses the Ink tree without a terminal, saying what to use instead', async () => {
    const { code, stdout, stderr } = await run(['run', '--all', '--config', 'checks.yaml', '--reporter', 'ink'], outside());
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/--reporter ink draws a live tree .* stderr is a pipe or a file/);
    expect(stderr).toContain('--reporter plain');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('uses the GitHub reporter inside GitHub Actions, and writes no files when their variables are unset', async () => {
    await rm(path.join(dir, '.orchestrate'), { recursive: true, force: true });
    const env: NodeJS.ProcessEnv = { ...outside(), GITHUB_ACTIONS: 'true' };
    delete env.GITHUB_STEP_SUMMARY;
    delete env.GITHUB_OUTPUT;
    const { code, stdout } = await run(['run', '--all', '--config', 'checks.yaml'], env);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^::group::✓ 1\.1 measure: changed/m);
    expect(stdout).toMatch(/^::error title=checkpoint coverage failed,file=coverage\/coverage-summary\.json::coverage below the minimum/m);
  });
});
