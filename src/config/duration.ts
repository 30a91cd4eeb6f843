/**
 * Durations in plans: `250ms`, `30s`, `10m`, `1h`, combinations like `1h30m`,
 * or a plain number of milliseconds.
 */
import { z } from 'zod';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;

/** Parse a duration string or number into milliseconds; undefined when malformed. */
export function parseDuration(input: string | number): number | undefined {
  if (typeof input === 'number') {
    return Number.isFinite(input) && input >= 0 ? Math.round(input) : undefined;
  }
  const text = input.trim();
  if (/^\d+$/.test(text)) return Number(text);
  if (!WHOLE.test(text)) return undefined;
  let total = 0;
  for (const match of text.matchAll(PART)) {
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  }
  return Math.round(total);
}

/** Format milliseconds compactly for people: `1.5s`, `2m 5s`, `1h 2m`. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  if (ms < 3_600_000) {
    const m = Math.floor(ms / 60_000);
    const s = Math.round((ms % 60_000) / 1_000);
    return s ? `${m}m ${s}s` : `${m}m`;
  }
  const h = Math.floor(ms / 3_600_000);
  const m = Math.round((ms % 3_600_000) / 60_000);
  return m ? `${h}h ${m}m` : `${h}h`;
}

const NOT_A_DURATION = 'not a duration: use a number of milliseconds or a value like 500ms, 30s, 10m, 1h, 1h30m';

/** Zod schema for a duration; the parsed value is milliseconds. */
export const durationSchema = z
  .union(
    [
      z.number().int().nonnegative(),
      z.string().regex(/^\s*(?:\d+|(?:\d+(?:\.\d+)?(?:ms|s|m|h))+)\s*$/, { error: NOT_A_DURATION }),
    ],
    // Neither a number nor a string (true, a list, ...): the same advice. Missing falls through.
    { error: (issue) => (issue.input === undefined ? undefined : NOT_A_DURATION) },
  )
  .transform((value) => parseDuration(value) as number)
  .meta({ description: 'A duration: milliseconds, or a string like 500ms, 30s, 10m, 1h, 1h30m.' });
