/** The zod schema of a duration in plans and settings (duration.ts parses and formats). */
import { z } from 'zod';
import { parseDuration } from './duration.js';

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
