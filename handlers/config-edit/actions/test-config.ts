/**
 * Where a test runner's config lives in a parsed file, for the coverage
 * actions: a Jest config is the whole of jest.config.* or the `jest` key of
 * package.json; a Vitest config is the `test` key of vitest.config.* or
 * vite.config.*. Also the checks those actions share: a part of the config
 * that is code rather than data cannot be edited, and says so.
 */
import path from 'node:path';
import { UserError } from '../../../src/errors.js';
import { formatPath, isExpressionValue, type DataPath, type FormatKind } from '../ops.js';

export type Runner = 'jest' | 'vitest';

/** The runner a file configures and the path of its config in the data, or why there is none. */
export type Located = { runner: Runner; base: DataPath } | { runner: undefined; reason: string };

/** Find the Jest or Vitest config in a parsed file. */
export function locateTestConfig(file: string, format: FormatKind, data: unknown, action: string): Located {
  const base = path.basename(file);
  if (format === 'json') {
    if (base !== 'package.json') return { runner: undefined, reason: `${action} edits package.json's \`jest\` key, and ${file} is not a package.json` };
    const jest = (data as Record<string, unknown> | null)?.jest;
    if (jest === undefined) return { runner: undefined, reason: `${file} has no \`jest\` key (the Jest config is elsewhere, e.g. jest.config.js)` };
    if (!isMap(jest)) return { runner: undefined, reason: `the \`jest\` key of ${file} is not an object` };
    return { runner: 'jest', base: ['jest'] };
  }
  if (format === 'js') {
    if (base.startsWith('jest.')) return { runner: 'jest', base: [] };
    return { runner: 'vitest', base: ['test'] };
  }
  return { runner: undefined, reason: `${action} edits Jest or Vitest configs, not ${file}` };
}

/** A plain object (not a list, not code kept as text). */
export function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !isCode(value);
}

/** The JS engine's stand-in for code: `{ $expression: '<source>' }`. */
export const isCode = isExpressionValue;

/** The value at `at` in `data`, or undefined when some step is missing. */
export function valueAt(data: unknown, at: DataPath): unknown {
  let node = data;
  for (const step of at) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[step];
  }
  return node;
}

/**
 * The value at `at`, required to be missing or of the wanted kind; a part of
 * the config written as code (a call, a variable) is a UserError naming it.
 */
export function expectKind(file: string, data: unknown, at: DataPath, kind: 'map' | 'list', fix: string): unknown {
  for (let i = 1; i <= at.length; i += 1) {
    const value = valueAt(data, at.slice(0, i));
    if (value === undefined) return undefined;
    const last = i === at.length;
    const ok = last && kind === 'list' ? Array.isArray(value) : isMap(value);
    if (!ok) {
      const shown = isCode(value) ? `the code \`${value.$expression.slice(0, 60)}\`` : Array.isArray(value) ? 'a list' : JSON.stringify(value);
      throw new UserError(`${file}: ${formatPath(at.slice(0, i))} is ${shown}, so orchestrate cannot add to it`, {
        retryable: false,
        file,
        hint: `Make the change by hand: ${fix}`,
      });
    }
  }
  return valueAt(data, at);
}
