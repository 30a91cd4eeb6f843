/**
 * Checkpoints between phases: a `run` checkpoint produces a coverage report,
 * a coverage checkpoint reads it (istanbul json-summary or coverage.py JSON)
 * and holds the next phase back when the figures fall short, or when the
 * report is older than the phase and so not this run's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, processesUsing, runCli, shTask, startCli, statusJson, waitUntil, writePlan, type PlanInput } from '../helpers/plans.js';

const istanbul = (lines: number) => JSON.stringify({ total: { lines: { pct: lines }, statements: { pct: lines }, functions: { pct: 100 }, branches: { pct: 50 } } });

/** Phase 1 with the given checkpoints; phase 2 depends on it and leaves phase2.txt. */
function plan(checkpoints: Record<string, unknown>[]): PlanInput {
  return {
    phases: [
      { id: '1', name: 'tests', expected_coverage: { lines: 80 }, groups: [{ id: 'a', tasks: [shTask('1.1', 'touch 1.1.done')] }], checkpoints },
      { id: '2', name: 'next', groups: [{ id: 'a', tasks: [shTask('2.1', 'touch phase2.txt')] }] },
    ],
  };
}

/** A `run` checkpoint that writes `text` to `file`, as a test runner with coverage would. */
function writeReport(file: string, text: string): Record<string, unknown> {
  return { name: 'tests pass', run: ['sh', '-c', `mkdir -p "$(dirname ${file})" && printf '%s' '${text}' > ${file}`] };
}

const phase2Ran = (dir: string) => fs.existsSync(path.join(dir, 'phase2.txt'));

describe('coverage checkpoints', () => {
  it('pass when the report written by an earlier checkpoint meets the minimum, and the next phase runs', async () => {
    const summary = 'coverage/coverage-summary.json';
    const repo = makeRepo(plan([writeReport(summary, istanbul(85.5)), { name: 'coverage', coverage: { summary, min: { lines: 80, functions: 90 } } }]));
    const result = await runCli(repo, ['run', '--all']);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/checkpoint coverage passed: coverage lines 85\.5%, statements 85\.5%, functions 100%, branches 50%/);
    expect(phase2Ran(repo.dir)).toBe(true);
    const status = await statusJson(repo);
    expect(status.phases[0]).toMatchObject({ status: 'done', checkpoints: [{ name: 'tests pass', passed: true }, { name: 'coverage', passed: true }] });
    expect((status.phases[0] as unknown as { measured_coverage: { lines: number } }).measured_coverage.lines).toBe(85.5);
  });

  it('fail below the minimum: exit 1, and the dependent phase does not start', async () => {
    const summary = 'coverage/coverage-summary.json';
    const repo = makeRepo(plan([writeReport(summary, istanbul(70)), { name: 'coverage', coverage: { summary, min: { lines: 80 } } }]));
    const result = await runCli(repo, ['run', '--all']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/checkpoint coverage failed: coverage below the minimum: lines 70% < 80%/);
    expect(result.stdout).toMatch(/2\.1 +not run: phase 1 did not finish/);
    expect(phase2Ran(repo.dir)).toBe(false);
    const status = await statusJson(repo);
    expect(status.phases.map((p) => p.status)).toEqual(['failed', 'pending']);

    // Selecting phase 2 alone is refused too: phase 1 is not done while its checkpoint fails.
    const alone = await runCli(repo, ['run', '--phase', '2']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/phase 2 depends on phase 1, which is not done yet/);
  });

  it('refuse a report older than the phase ("older than this phase")', async () => {
    const summary = 'coverage/coverage-summary.json';
    const repo = makeRepo(plan([{ name: 'coverage', coverage: { summary, min: { lines: 50 } } }]), { [summary]: istanbul(99) });
    const hourAgo = new Date(Date.now() - 3_600_000);
    fs.utimesSync(path.join(repo.dir, summary), hourAgo, hourAgo);
    const result = await runCli(repo, ['run', '--all']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/checkpoint coverage failed: coverage\/coverage-summary\.json is older than this phase/);
    expect(phase2Ran(repo.dir)).toBe(false);
  });

  it('read a coverage.py JSON report (totals.percent_covered)', async () => {
    const report = JSON.stringify({ meta: { format: 2 }, totals: { percent_covered: 91.25, num_statements: 400, covered_lines: 365 } });
    const repo = makeRepo(plan([writeReport('coverage.json', report), { name: 'coverage', coverage: { summary: 'coverage.json', min: { lines: 90 } } }]));
    const passed = await runCli(repo, ['run', '--all']);
    expect(passed.code, passed.stdout).toBe(0);
    expect(passed.stdout).toMatch(/checkpoint coverage passed: coverage lines 91\.25%/);
    expect(phase2Ran(repo.dir)).toBe(true);

    const strict = makeRepo(plan([writeReport('coverage.json', report), { name: 'coverage', coverage: { summary: 'coverage.json', min: { lines: 95 } } }]));
    const failed = await runCli(strict, ['run', '--all']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/lines 91\.25% < 95%/);
  });

  it('read lines from a coverage.py report with branch coverage as covered lines over statements, not its mixed percent_covered', async () => {
    const report = JSON.stringify({ meta: { format: 2, branch_coverage: true }, totals: { percent_covered: 79.46, num_statements: 122, covered_lines: 104, num_branches: 63, covered_branches: 43 } });
    const repo = makeRepo(plan([writeReport('coverage.json', report), { name: 'coverage', coverage: { summary: 'coverage.json', min: { lines: 80 } } }]));
    const passed = await runCli(repo, ['run', '--all']);
    expect(passed.code, passed.stdout).toBe(0);
    expect(passed.stdout).toMatch(/checkpoint coverage passed: coverage lines 85\.25%, statements 85\.25%, branches 68\.25%/);
  });

  it('fail when the report is missing, naming it', async () => {
    const repo = makeRepo(plan([{ name: 'coverage', coverage: { summary: 'coverage/coverage-summary.json', min: { lines: 50 } } }]));
    const result = await runCli(repo, ['run', '--all']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/no coverage report at coverage\/coverage-summary\.json/);
  });
});

describe('run checkpoints', () => {
  it('fail the phase when the command fails, with its output, and hold back the next phase', async () => {
    const repo = makeRepo(plan([{ name: 'tests pass', run: ['sh', '-c', 'echo "2 tests failed"; exit 1'] }]));
    const result = await runCli(repo, ['run', '--all', '--reporter', 'json']);
    expect(result.code).toBe(1);
    const events = result.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.find((e) => e.type === 'checkpoint:finish')).toMatchObject({ passed: false, detail: expect.stringMatching(/exited 1, expected 0[^]*2 tests failed/) });
    expect(events.filter((e) => e.type === 'phase:start').map((e) => e.phaseId)).toEqual(['1']);
    expect(phase2Ran(repo.dir)).toBe(false);
  });
});

describe('checkpoints and resume', () => {
  /** 1.1 writes `word` to value; the checkpoint passes only when value says good, and can be held in a sleep. */
  const gated = (word: string): PlanInput => ({
    phases: [
      {
        id: '1',
        name: 'gated',
        groups: [{ id: 'a', tasks: [shTask('1.1', `echo ${word} > value`)] }],
        checkpoints: [{ name: 'value is good', run: ['sh', '-c', 'echo $$ > checking; if [ -f hold ]; then sleep 30; fi; grep -qx good value'] }],
      },
      { id: '2', name: 'next', groups: [{ id: 'a', tasks: [shTask('2.1', 'touch phase2.txt')] }] },
    ],
  });

  it('runs a checkpoint again when the phase changed after it last passed, even if the run that changed it was killed', async () => {
    const repo = makeRepo(gated('good'));
    expect((await runCli(repo, ['run', '--phase', '1'])).code).toBe(0);

    // The task is redefined and reruns; the run is killed while the checkpoint checks it.
    writePlan(repo, gated('bad'));
    fs.writeFileSync(path.join(repo.dir, 'hold'), '');
    fs.rmSync(path.join(repo.dir, 'checking'));
    const killed = await startCli(repo, ['run', '--phase', '1']);
    expect(await waitUntil(() => fs.existsSync(path.join(repo.dir, 'checking')) && fs.readFileSync(path.join(repo.dir, 'checking'), 'utf8').trim() !== '', 60_000)).toBe(true);
    killed.child.kill('SIGKILL');
    await killed.result;
    // The checkpoint's process group outlives the CLI killed with SIGKILL; end it as a person would.
    const checker = Number(fs.readFileSync(path.join(repo.dir, 'checking'), 'utf8'));
    process.kill(-checker, 'SIGKILL');
    expect(await waitUntil(() => processesUsing(repo.dir).length === 0, 60_000)).toBe(true);
    fs.rmSync(path.join(repo.dir, 'hold'));
    expect(fs.readFileSync(path.join(repo.dir, 'value'), 'utf8')).toBe('bad\n');

    // The task is done with today's definition; only the checkpoint can say that it is wrong.
    const resumed = await runCli(repo, ['run', '--all']);
    expect(resumed.stdout).toMatch(/1\.1 +done earlier/);
    expect(resumed.stdout).toMatch(/checkpoint value is good failed/);
    expect(resumed.code).toBe(1);
    expect(phase2Ran(repo.dir)).toBe(false);
  });

  it('does not run passed checkpoints again when nothing in the phase changed since', async () => {
    const repo = makeRepo(gated('good'));
    expect((await runCli(repo, ['run', '--phase', '1'])).code).toBe(0);
    fs.rmSync(path.join(repo.dir, 'checking'));
    const again = await runCli(repo, ['run', '--all']);
    expect(again.code, again.stdout).toBe(0);
    expect(fs.existsSync(path.join(repo.dir, 'checking'))).toBe(false);
    expect(phase2Ran(repo.dir)).toBe(true);
  });

  it('after Ctrl-C during a checkpoint, shows the run interrupted and runs the checkpoint on the next run', async () => {
    const repo = makeRepo(gated('good'), { hold: '' });
    const run = await startCli(repo, ['run', '--all']);
    expect(await waitUntil(() => fs.existsSync(path.join(repo.dir, 'checking')), 60_000)).toBe(true);
    run.child.kill('SIGINT');
    const result = await run.result;
    expect(result.code).toBe(130);
    const status = await statusJson(repo);
    expect(status.last_run?.status).toBe('interrupted');
    // Tasks done, checkpoint never finished: not done, and not failed either.
    expect(status.phases[0]).toMatchObject({ status: 'pending', done: 1, total: 1, checkpoints: [] });
    expect(result.stdout).not.toMatch(/checkpoint value is good failed/);

    fs.rmSync(path.join(repo.dir, 'hold'));
    const next = await runCli(repo, ['run', '--all']);
    expect(next.code, next.stdout).toBe(0);
    expect(next.stdout).toMatch(/checkpoint value is good passed/);
    expect(phase2Ran(repo.dir)).toBe(true);
  });
});
