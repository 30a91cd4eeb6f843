/**
 * `add_directory_thresholds`: lock coverage gains in with minimum percentages,
 * globally and per directory or glob. Jest: `coverageThreshold` with `global`
 * and path keys (`./src/services/`). Vitest: `test.coverage.thresholds`, with
 * the global figures at its top and per-glob keys (`./src/services/` becomes
 * `src/services/**`). A threshold is only ever raised: where the config
 * already asks for more, the higher figure stays and a note says so.
 */
import { z } from 'zod';
import type { ActionPlan, ConfigAction, DataPath, EditOp } from '../ops.js';
import { expectKind, locateTestConfig } from './test-config.js';

const METRICS = ['lines', 'branches', 'functions', 'statements'] as const;
type Metric = (typeof METRICS)[number];

const percent = z.number().min(0).max(100);
const figures = z
  .strictObject({ lines: percent.optional(), branches: percent.optional(), functions: percent.optional(), statements: percent.optional() })
  .refine((f) => METRICS.some((m) => f[m] !== undefined), {
    error: 'give at least one of lines, branches, functions, statements',
    when: (payload) => payload.issues.length === 0,
  });

export const params = z.strictObject({
  thresholds: z
    .record(z.string().min(1), figures)
    .refine((t) => Object.keys(t).length > 0, { error: 'give `global` and/or directories, e.g. ./src/services/: { lines: 85 }' })
    .describe('Minimum coverage in percent: `global`, and directories or globs such as ./src/services/.'),
});
export type Params = z.output<typeof params>;

/** Vitest matches threshold keys as globs relative to the root: `./src/x/` means `src/x/**`. */
export function vitestGlob(key: string): string {
  const bare = key.replace(/^\.\//, '');
  return bare.endsWith('/') ? `${bare}**` : bare;
}

export const action: ConfigAction<Params> = {
  name: 'add_directory_thresholds',
  summary: 'Set minimum coverage globally and per directory in a Jest or Vitest config, never lowering one.',
  params,
  formats: ['js', 'json'],
  plan({ file, format, data, params: p }): ActionPlan {
    const located = locateTestConfig(file, format, data, 'add_directory_thresholds');
    if (located.runner === undefined) return { kind: 'not_applicable', reason: located.reason };
    const { runner, base } = located;
    const root: DataPath = runner === 'jest' ? [...base, 'coverageThreshold'] : [...base, 'coverage', 'thresholds'];
    const fix = `set ${root.join('.')} to ${JSON.stringify(p.thresholds)}`;
    expectKind(file, data, root, 'map', fix);

    const ops: EditOp[] = [];
    const notes: string[] = [];
    let raised = 0;
    for (const [key, wanted] of Object.entries(p.thresholds)) {
      const at: DataPath = runner === 'vitest' && key === 'global' ? root : [...root, runner === 'vitest' ? vitestGlob(key) : key];
      const found = expectKind(file, data, at, 'map', fix) as Record<string, unknown> | undefined;
      const shown = at.length === root.length ? 'global' : String(at[at.length - 1]);
      // Vitest's global figures share their object with the globs: set them one by one, never the whole.
      const current = found === undefined && at.length === root.length ? {} : found;
      if (current === undefined) {
        const value = Object.fromEntries(METRICS.filter((m) => wanted[m] !== undefined).map((m) => [m, wanted[m]]));
        ops.push({ op: 'set', path: at, value });
        raised += Object.keys(value).length;
        continue;
      }
      for (const metric of METRICS) {
        const target = wanted[metric as Metric];
        if (target === undefined) continue;
        const existing = current[metric];
        if (typeof existing === 'number' && existing < 0) {
          notes.push(`${shown} ${metric}: kept ${existing} (a count of uncovered items, not a percentage)`);
        } else if (typeof existing === 'number' && existing > target) {
          notes.push(`${shown} ${metric}: kept ${existing}, higher than the ${target} asked for`);
        } else if (existing !== target) {
          if (existing !== undefined && typeof existing !== 'number') {
            notes.push(`${shown} ${metric}: replaced ${JSON.stringify(existing)} with ${target}`);
          }
          ops.push({ op: 'set', path: [...at, metric], value: target });
          raised += 1;
        }
      }
    }
    const where = runner === 'jest' && base.length > 0 ? `${file} (jest key)` : file;
    return { kind: 'ops', ops, summary: `${where}: ${raised} coverage threshold${raised === 1 ? '' : 's'} set in ${root.join('.')}`, notes };
  },
};
