/**
 * zod's generic issues in plain words, for the plan and the settings files
 * alike. Depends on nothing but zod's types, so reading settings (before
 * every command) loads neither the plan schema nor its handlers.
 */
import type { z } from 'zod';

/** Messages for zod's generic issues, in plain words. Custom messages on the schema win. */
export function issueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'this field is required';
      return `expected ${typeName(String(issue.expected))}, found ${describeValue(issue.input)}`;
    case 'invalid_value':
      if (issue.input === undefined) return 'this field is required';
      if (issue.values.length === 1) return `must be ${JSON.stringify(issue.values[0])}, found ${describeValue(issue.input)}`;
      return `${describeValue(issue.input)} is not one of the allowed values`;
    case 'invalid_union': {
      if (issue.input === undefined) return 'this field is required';
      // Every alternative failed on the type: say which types would do.
      const expected = new Set(
        issue.errors.flatMap((branch) => branch.flatMap((i) => (i.code === 'invalid_type' && i.path.length === 0 ? [typeName(String(i.expected))] : []))),
      );
      return expected.size > 0 ? `expected ${[...expected].join(' or ')}, found ${describeValue(issue.input)}` : undefined;
    }
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

const TYPE_NAMES: Record<string, string> = {
  array: 'a list',
  tuple: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  map: 'a mapping',
  int: 'a whole number',
  boolean: 'true or false',
};

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? (/^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`);
}

/** A value as a message names it: `"text"`, `a list`, `number 3`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'no value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  return `${typeof value} ${String(value)}`;
}
