/**
 * The waits between attempts: exponential, capped, and (with jitter) a
 * uniform draw below the capped value, decided by the injected random source.
 */
import { describe, expect, it } from 'vitest';
import { backoffDelay, sleep } from '../../src/engine/retry-policy.js';

const plain = { initialMs: 1_000, factor: 2, maxMs: 5_000, jitter: false };

describe('backoffDelay', () => {
  it('doubles from the initial wait and stops at the maximum', () => {
    expect([2, 3, 4, 5, 6].map((next) => backoffDelay(plain, next))).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it('uses the initial wait before the first retry whatever the factor', () => {
    expect(backoffDelay({ ...plain, factor: 10 }, 2)).toBe(1_000);
    expect(backoffDelay({ ...plain, factor: 1 }, 7)).toBe(1_000);
  });

  it('with jitter, draws between 0 and the capped delay from the injected random source', () => {
    const jittered = { ...plain, jitter: true };
    expect(backoffDelay(jittered, 2, () => 0)).toBe(0);
    expect(backoffDelay(jittered, 2, () => 0.5)).toBe(500);
    expect(backoffDelay(jittered, 3, () => 0.25)).toBe(500);
    expect(backoffDelay(jittered, 9, () => 0.999)).toBe(4_995);
  });

  it('never calls the random source without jitter', () => {
    expect(backoffDelay(plain, 3, () => {
      throw new Error('random drawn');
    })).toBe(2_000);
  });

  it('matches the plan example 50ms, factor 2, max 80ms: 50 then 80', () => {
    const backoff = { initialMs: 50, factor: 2, maxMs: 80, jitter: false };
    expect([2, 3, 4].map((next) => backoffDelay(backoff, next))).toEqual([50, 80, 80]);
  });
});

describe('sleep', () => {
  it('rejects at once with the reason when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await expect(sleep(60_000, controller.signal)).rejects.toThrow('stopped');
  });

  it('rejects when the signal aborts while it waits', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error('fail-fast'));
    await expect(waiting).rejects.toThrow('fail-fast');
  });

  it('resolves after a short wait', async () => {
    await expect(sleep(1, new AbortController().signal)).resolves.toBeUndefined();
  });
});
