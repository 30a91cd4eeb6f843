/**
 * `expand_coverage_collection`: make a test runner collect coverage from the
 * files the rollout cares about and write the reports later steps read.
 * Jest: `collectCoverageFrom` gains the include patterns and `!`-prefixed
 * exclude patterns, `coverageReporters` the reporters. Vitest: the same under
 * `test.coverage.include`, `exclude` and `reporter`. Entries already there are
 * kept (never removed or reordered); only missing ones are added.
 */
import { z } from 'zod';
import type { ActionPlan, ConfigAction, DataPath, EditOp } from '../ops.js';
import { expectKind, isCode, locateTestConfig, type Runner } from './test-config.js';

const patterns = z.array(z.string().min(1, { error: 'a pattern must not be empty' }));

export const params = z
  .strictObject({
    include: patterns.optional().describe('Globs of the files to collect coverage from, e.g. ["src/**/*.ts"].'),
    exclude: patterns.optional().describe('Globs to leave out, e.g. ["src/**/*.d.ts"] (Jest gets them with a leading "!").'),
    reporters: z.array(z.string().min(1)).optional().describe('Coverage reporters to add, e.g. [json-summary, lcov, text].'),
  })
  .refine((p) => (p.include?.length ?? 0) + (p.exclude?.length ?? 0) + (p.reporters?.length ?? 0) > 0, {
    error: 'give at least one of include, exclude or reporters',
    // A misspelt key is the real problem then; say only that.
    when: (payload) => payload.issues.length === 0,
  });
export type Params = z.output<typeof params>;

/** What each runner uses when the config does not say, so that adding a reporter never drops one. */
const DEFAULT_REPORTERS: Record<Runner, string[]> = {
  jest: ['clover', 'json', 'lcov', 'text'],
  vitest: ['text', 'html', 'clover', 'json'],
};

export const action: ConfigAction<Params> = {
  name: 'expand_coverage_collection',
  summary: 'Add coverage include/exclude patterns and reporters to a Jest or Vitest config, keeping what is there.',
  params,
  formats: ['js', 'json'],
  plan({ file, format, data, params: p }): ActionPlan {
    const located = locateTestConfig(file, format, data, 'expand_coverage_collection');
    if (located.runner === undefined) return { kind: 'not_applicable', reason: located.reason };
    const { runner, base } = located;
    const ops: EditOp[] = [];
    const notes: string[] = [];
    const said: string[] = [];
    const include = p.include ?? [];
    const exclude = (p.exclude ?? []).map((x) => x.replace(/^!/, ''));

    if (runner === 'jest') {
      const at = [...base, 'collectCoverageFrom'];
      const wanted = [...include, ...exclude.map((x) => `!${x}`)];
      const added = addToList(file, data, at, wanted, (items) => {
        // Includes go before the first exclusion, where people read them; exclusions at the end.
        const firstNegation = items.findIndex((item) => typeof item === 'string' && item.startsWith('!'));
        return (entry) => (entry.startsWith('!') || firstNegation < 0 ? items.length : firstNegation);
      });
      ops.push(...added.ops);
      if (added.count > 0) said.push(`collectCoverageFrom gains ${added.count} pattern${added.count === 1 ? '' : 's'}`);
    } else {
      const coverage = [...base, 'coverage'];
      for (const [key, list] of [['include', include], ['exclude', exclude]] as const) {
        if (list.length === 0) continue;
        const at = [...coverage, key];
        const missing = expectKind(file, data, at, 'list', `add ${JSON.stringify(list)} to ${key}`) === undefined;
        const added = addToList(file, data, at, list, (items) => () => items.length);
        ops.push(...added.ops);
        if (added.count > 0) said.push(`test.coverage.${key} gains ${added.count} pattern${added.count === 1 ? '' : 's'}`);
        if (key === 'exclude' && missing) {
          notes.push("test.coverage.exclude was not set: these patterns replace Vitest's default exclusions; add ...configDefaults.coverage.exclude to the list if you rely on them");
        }
      }
    }

    if (p.reporters !== undefined && p.reporters.length > 0) {
      const at = [...base, ...(runner === 'jest' ? ['coverageReporters'] : ['coverage', 'reporter'])];
      const current = valueAtList(file, data, at, p.reporters);
      const have = new Set(current.items.map(reporterName));
      const missing = p.reporters.filter((r, i) => !have.has(r) && p.reporters!.indexOf(r) === i);
      if (missing.length > 0) {
        if (current.kind === 'list') {
          missing.forEach((r, i) => ops.push({ op: 'insert', path: at, index: current.items.length + i, value: r }));
        } else {
          const kept = current.kind === 'absent' ? DEFAULT_REPORTERS[runner] : current.items;
          ops.push({ op: 'set', path: at, value: [...kept, ...missing.filter((r) => !kept.includes(r))] });
          if (current.kind === 'absent') notes.push(`${at.join('.')} was not set: kept ${runner === 'jest' ? 'Jest' : 'Vitest'}'s default reporters (${kept.join(', ')}) beside the new ones`);
        }
        said.push(`${at.join('.')} gains ${missing.join(', ')}`);
      }
    }
    const where = runner === 'jest' && base.length > 0 ? `${file} (jest key)` : file;
    return { kind: 'ops', ops, summary: `${where}: ${said.join('; ') || 'coverage collection already in place'}`, notes };
  },
};

/** Insert the entries of `wanted` that the list at `at` lacks (or create the list). */
function addToList(
  file: string,
  data: unknown,
  at: DataPath,
  wanted: readonly string[],
  position: (items: readonly unknown[]) => (entry: string) => number,
): { ops: EditOp[]; count: number } {
  const unique = wanted.filter((w, i) => wanted.indexOf(w) === i);
  const current = expectKind(file, data, at, 'list', `add ${JSON.stringify(unique)} to ${at.join('.')}`) as unknown[] | undefined;
  if (current === undefined) return { ops: unique.length > 0 ? [{ op: 'set', path: at, value: unique }] : [], count: unique.length };
  const items = [...current];
  const ops: EditOp[] = [];
  for (const entry of unique) {
    if (items.includes(entry)) continue;
    const index = position(items)(entry);
    ops.push({ op: 'insert', path: at, index, value: entry });
    items.splice(index, 0, entry);
  }
  return { ops, count: ops.length };
}

/** The reporter list at `at`: a list, a single reporter written as a string, or absent. */
function valueAtList(file: string, data: unknown, at: DataPath, reporters: readonly string[]): { kind: 'list' | 'single' | 'absent'; items: unknown[] } {
  const parent = expectKind(file, data, at.slice(0, -1), 'map', `add ${JSON.stringify(reporters)} to ${at.join('.')}`) as Record<string, unknown> | undefined;
  const value = parent?.[at[at.length - 1] as string];
  if (value === undefined) return { kind: 'absent', items: [] };
  if (typeof value === 'string') return { kind: 'single', items: [value] };
  if (Array.isArray(value)) return { kind: 'list', items: value };
  expectKind(file, data, at, 'list', `add ${JSON.stringify(reporters)} to ${at.join('.')}`);
  return { kind: 'absent', items: [] };
}

/** A reporter entry's name: `'lcov'` or `['lcov', { ... }]`. */
function reporterName(entry: unknown): unknown {
  if (Array.isArray(entry)) return entry[0];
  return isCode(entry) ? entry.$expression : entry;
}
