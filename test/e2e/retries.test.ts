/**
 * Attempts, timeouts and backoff as a user sees them in `--reporter json`:
 * a timed-out attempt is killed and retried, `retries: N` means N + 1
 * attempts, and the waits between attempts follow the plan's backoff.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive, jsonEvents, makeRepo, runCli, shTask, statusJson, waitUntil } from '../helpers/plans.js';

const onePhase = (tasks: Record<string, unknown>[]) => ({ phases: [{ id: '1', name: 'one', groups: [{ id: 'a', tasks }] }] });

describe('timeouts', () => {
  it('kills an attempt that outlives its timeout, retries it, and fails with "timed out" after the last attempt', async () => {
    const repo = makeRepo(
      onePhase([shTask('1.1', 'echo $$ >> attempts.txt; exec sleep 5', { timeout: '300ms', retries: 2, backoff: { initial: '10ms', jitter: false } })]),
    );
    const result = await runCli(repo, ['run', '--all', '--reporter', 'json']);
    expect(result.code).toBe(1);
    const events = jsonEvents(result.stdout);
    const attempts = events.filter((e) => e.type === 'task:attempt');
    expect(attempts.map((e) => e.attempt)).toEqual([1, 2, 3]);
    expect(attempts.every((e) => e.maxAttempts === 3)).toBe(true);
    expect(events.filter((e) => e.type === 'task:retry').map((e) => e.error)).toEqual(['timed out after 300ms', 'timed out after 300ms']);
    const finish = events.find((e) => e.type === 'task:finish');
    expect(finish).toMatchObject({ status: 'failed', attempts: 3, error: expect.stringMatching(/timed out/) });
    // Three sleeps of 5 s would take 15 s; each was stopped at its timeout.
    expect(result.durationMs).toBeLessThan(10_000);
    const pids = fs.readFileSync(path.join(repo.dir, 'attempts.txt'), 'utf8').trim().split('\n').map(Number);
    expect(pids).toHaveLength(3);
    // Not one of the three sleeps outlives its attempt.
    expect(await waitUntil(() => pids.every((pid) => !isAlive(pid)), 5_000)).toBe(true);
    const status = await statusJson(repo);
    expect(status.phases[0]?.groups[0]?.tasks[0]).toMatchObject({ status: 'failed', attempts: 3, error: expect.stringMatching(/timed out/) });
  });
});

describe('retries', () => {
  it('retries a flaky command with the planned backoff until it succeeds', async () => {
    const flaky = 'n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; [ $n -ge 3 ] || { echo "failure $n" >&2; exit 1; }';
    const repo = makeRepo(onePhase([shTask('1.1', flaky, { retries: 2, backoff: { initial: '50ms', factor: 2, max: '80ms', jitter: false } })]));
    const result = await runCli(repo, ['run', '--all', '--reporter', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const events = jsonEvents(result.stdout);
    const retries = events.filter((e) => e.type === 'task:retry');
    expect(retries.map((e) => [e.attempt, e.delayMs])).toEqual([
      [1, 50],
      [2, 80],
    ]);
    for (const retry of retries) expect(retry.error).toMatch(/command failed with exit code 1[^]*failure [12]/);
    expect(events.filter((e) => e.type === 'task:attempt')).toHaveLength(3);
    expect(events.find((e) => e.type === 'task:finish')).toMatchObject({ status: 'changed', attempts: 3 });
    expect(fs.readFileSync(path.join(repo.dir, 'count'), 'utf8').trim()).toBe('3');
  });

  it('gives up after retries + 1 attempts of a command that always fails, and says so', async () => {
    const repo = makeRepo(onePhase([shTask('1.1', 'echo x >> attempts.txt; echo boom >&2; exit 3', { retries: 1, backoff: { initial: '10ms', jitter: false } })]));
    const result = await runCli(repo, ['run', '--all']);
    expect(result.code).toBe(1);
    expect(fs.readFileSync(path.join(repo.dir, 'attempts.txt'), 'utf8')).toBe('x\nx\n');
    expect(result.stdout).toMatch(/attempt 1\/2 failed: command failed with exit code 3/);
    expect(result.stdout).toMatch(/Failures:\n.*1\.1: command failed with exit code 3/);
    expect(result.stdout).toContain('boom');
  });
});

describe('a timed-out attempt', () => {
  it('has ended, even when it ignores SIGTERM, before the retry starts', async () => {
    // Each attempt notes whether the previous one is still alive when it starts.
    const script = "if [ -s pid ] && kill -0 \"$(cat pid)\" 2>/dev/null; then echo overlap >> log; fi; echo $$ > pid; echo attempt >> log; trap '' TERM; exec sleep 5";
    const repo = makeRepo(onePhase([shTask('1.1', script, { timeout: '300ms', retries: 1, kill_grace: '1s', backoff: { initial: '10ms', jitter: false } })]));
    const result = await runCli(repo, ['run', '--all']);
    expect(result.code).toBe(1);
    expect(fs.readFileSync(path.join(repo.dir, 'log'), 'utf8')).toBe('attempt\nattempt\n');
    expect(result.stdout).toMatch(/1\.1: timed out after 300ms/);
  });
});
