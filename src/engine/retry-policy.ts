/**
 * Waits between attempts: exponential backoff capped at `max`, with full
 * jitter (a uniform draw between 0 and the capped delay) so that tasks that
 * failed together do not retry together. No wait follows the last attempt.
 */
import type { Backoff } from '../plan/types.js';

/** Delay before attempt `next` (2-based: the first retry), in milliseconds. */
export function backoffDelay(backoff: Backoff, next: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, next - 2);
  const capped = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** exponent);
  return Math.round(backoff.jitter ? random() * capped : capped);
}

/** Resolve after `ms`, or reject at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
