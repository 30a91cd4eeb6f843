/**
 * Plain-words messages for zod's generic issues in a settings file. Kept apart
 * from the plan loader's so that reading settings (which happens before every
 * command, for colour) does not load the plan schema and its handlers.
 */
import type { z } from 'zod';

/** A message for a zod issue, or undefined to keep zod's (or the schema's own). */
export function settingsIssueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[String(issue.expected)] ?? `a ${String(issue.expected)}`}, found ${describe(issue.input)}`;
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${JSON.stringify(issue.values[0])}, found ${describe(issue.input)}` : `${describe(issue.input)} is not one of the allowed values`;
    case 'too_small':
      if (issue.origin === 'array') return `needs at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return 'must not be empty';
      return `must be at least ${issue.minimum}, found ${String(issue.input)}`;
    case 'too_big':
      return `must be at most ${issue.maximum}, found ${String(issue.input)}`;
    default:
      return undefined;
  }
}

const TYPE_NAMES: Record<string, string> = { array: 'a list', object: 'a mapping', int: 'a whole number', number: 'a number', boolean: 'true or false', string: 'a string' };

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'no value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}
