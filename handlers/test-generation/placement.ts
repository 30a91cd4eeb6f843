/**
 * Where a task's tests go when the plan does not say (`test_file`): where
 * the repository keeps its own tests (conventions.ts), else beside the
 * source as `{name}.test.{ext}`; but never where the package's build would
 * compile or publish them (build-exposure.ts): then the next conventional
 * place the build leaves out, or, when there is none, a failure saying what
 * to set. A `test_file` the plan names is used as it is, with a warning when
 * the build would take the tests in.
 */
import path from 'node:path';
import type { TaskContext } from '../../src/engine/handler.js';
import { UserError } from '../../src/errors.js';
import { readBuildInputs, type BuildInputs } from './build-exposure.js';
import { conventionPattern, describeConvention, detectConvention, type TestConvention } from './conventions.js';
import { listFiles, testFileFor } from './targets.js';

/** The test file pattern chosen for a task's sources, and why, in words for the log. */
export interface ChosenPattern {
  pattern: string;
  /** One line: where the tests go and on what grounds. */
  reason: string;
}

type Habit = Omit<TestConvention, 'following' | 'of'>;

/**
 * The `test_file` pattern for TS/JS `sources` (root-relative) when the task
 * names none. Throws a UserError when every conventional place is part of the build.
 */
export async function chooseTestPattern(ctx: Pick<TaskContext, 'root' | 'workspace'>, sources: readonly string[]): Promise<ChosenPattern> {
  const files = (await listFiles(ctx.root, ['**'], ctx.workspace)).filter((f) => !/(^|\/)node_modules\//.test(f));
  const packages = new Map<string, string[]>();
  for (const source of sources) {
    const pkg = packageOf(source, files);
    packages.set(pkg, [...(packages.get(pkg) ?? []), source]);
  }
  const chosen: Array<ChosenPattern & { pkg: string }> = [];
  for (const [pkg, own] of packages) chosen.push({ pkg, ...(await choosePerPackage(ctx, files, pkg, own)) });
  const patterns = [...new Set(chosen.map((c) => c.pattern))];
  if (patterns.length > 1) {
    throw new UserError(`the sources of this task are in packages that keep their tests differently: ${chosen.map((c) => `${c.pkg || '(root)'}: ${c.pattern}`).join('; ')}`, {
      retryable: false,
      hint: 'Split the task by package, or set test_file in the task.',
    });
  }
  return chosen[0] ?? { pattern: '{dir}/{name}.test.{ext}', reason: 'no sources' };
}

/** Warnings for a `test_file` the plan names, one per way the build would take the tests in. */
export async function exposureWarnings(ctx: Pick<TaskContext, 'root' | 'workspace'>, pattern: string, sources: readonly string[]): Promise<string[]> {
  const files = await listFiles(ctx.root, ['**/package.json'], ctx.workspace).catch(() => []);
  const builds = new Map<string, BuildInputs>();
  const warnings: string[] = [];
  for (const source of sources) {
    const pkg = packageOf(source, files);
    if (!builds.has(pkg)) builds.set(pkg, await readBuildInputs(ctx.workspace, pkg));
    const testFile = testFileFor(pattern, source);
    const why = builds.get(pkg)!.exposes(testFile);
    if (why) warnings.push(`warning: test_file puts ${testFile} where the build takes it in: ${why}; choose a test_file the build leaves out, or exclude it there`);
  }
  return warnings;
}

async function choosePerPackage(ctx: Pick<TaskContext, 'root' | 'workspace'>, files: readonly string[], pkg: string, sources: readonly string[]): Promise<ChosenPattern> {
  const found = await detectConvention(ctx.workspace, files, pkg);
  const exts = [...new Set(sources.map((s) => path.posix.extname(s).slice(1)))];
  const habit: Habit = found ?? { placement: 'beside', suffix: 'test', extFor: {} };
  if (habit.placement === 'mirror' && habit.sourceRoot === undefined) habit.sourceRoot = commonTop(sources, pkg);
  const basis = found
    ? `as ${found.following} of the ${found.of} tests here are: ${describeConvention(found)}`
    : 'the repository has no tests to follow, so beside the source';
  const build = await readBuildInputs(ctx.workspace, pkg);
  const refusals: Array<{ pattern: string; why: string }> = [];
  for (const candidate of alternatives(habit, files, pkg, sources)) {
    const pattern = conventionPattern(candidate, exts);
    let exposed: string | undefined;
    try {
      for (const source of sources) {
        const testFile = testFileFor(pattern, source);
        const why = build.exposes(testFile);
        if (why) {
          exposed = `${testFile}: ${why}`;
          break;
        }
      }
    } catch {
      continue; // a mirror that does not hold every source
    }
    if (exposed === undefined) {
      const first = refusals[0];
      const moved = first === undefined ? '' : `; not ${first.pattern}, where the build would take them in (${first.why})`;
      return { pattern, reason: `tests go to ${pattern} (${basis}${moved})` };
    }
    refusals.push({ pattern, why: exposed });
  }
  throw new UserError(`every conventional place for the tests of ${sources.length === 1 ? sources[0] : `${sources.length} sources`} is part of the build:\n${refusals.map((r) => `  ${r.pattern}: ${r.why}`).join('\n')}`, {
    retryable: false,
    file: sources[0],
    hint: `Set test_file in the task to a place the build neither compiles nor publishes (e.g. "test/{dir}/{name}.test.{ext}" outside tsconfig's include), or exclude the tests in tsconfig.json ("exclude": ["**/*.test.ts"]).`,
  });
}

/** The repository's own habit first, then the other conventional places, then the other suffix. */
function alternatives(habit: Habit, files: readonly string[], pkg: string, sources: readonly string[]): Habit[] {
  const prefix = pkg === '' ? '' : `${pkg}/`;
  const testRoot = ['tests', 'test'].find((r) => files.some((f) => f.startsWith(`${prefix}${r}/`))) ?? 'test';
  const sourceRoot = commonTop(sources, pkg);
  const places: Habit[] = [
    habit,
    { ...habit, placement: 'mirror', testRoot: prefix + testRoot, sourceRoot },
    { ...habit, placement: '__tests__' },
    { ...habit, placement: 'beside' },
  ];
  const other = habit.suffix === 'spec' ? 'test' : 'spec';
  const all = [...places, ...places.map((p) => ({ ...p, suffix: other }) as Habit)];
  const seen = new Set<string>();
  return all.filter((h) => {
    const key = JSON.stringify([h.placement, h.testRoot, h.sourceRoot, h.suffix]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The nearest folder above `source` holding a package.json ('' for the root). */
function packageOf(source: string, files: readonly string[]): string {
  const manifests = new Set(files.filter((f) => f === 'package.json' || f.endsWith('/package.json')));
  for (let dir = path.posix.dirname(source); dir !== '.' && dir !== ''; dir = path.posix.dirname(dir)) {
    if (manifests.has(`${dir}/package.json`)) return dir;
  }
  return '';
}

/** The first folder below the package every source is in (`packages/a/src`), or the package itself. */
function commonTop(sources: readonly string[], pkg: string): string {
  const prefix = pkg === '' ? '' : `${pkg}/`;
  const tops = new Set(sources.map((s) => s.slice(prefix.length).split('/')).map((parts) => (parts.length > 1 ? parts[0] : '')));
  const [top] = tops;
  return tops.size === 1 && top ? prefix + top : pkg;
}
