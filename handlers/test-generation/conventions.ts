/**
 * Where and how a repository names its tests, read from the tests it has:
 * beside the source, in `__tests__/` beside it, or in a `test/` or `tests/`
 * tree mirroring `src/` (or `lib/`...); `*.test.*` or `*.spec.*`; and which
 * extension a test of a `.js` (`.mjs`, `.cjs`) source gets. The result is a
 * `test_file` pattern, so a person can read it, and copy it into the plan.
 * Tests orchestrate generated itself do not count.
 */
import path from 'node:path';
import type { WorkspaceView } from '../../src/workspace/types.js';
import { isGenerated } from './test-file.js';

export type Placement = 'beside' | '__tests__' | 'mirror';

/** A repository's habit for its tests (within one package). */
export interface TestConvention {
  placement: Placement;
  /** For `mirror`: the folder holding the tests and the folder it mirrors, root-relative. */
  testRoot?: string | undefined;
  sourceRoot?: string | undefined;
  /** `test` or `spec`; empty for files in `__tests__/` named like their source. */
  suffix: 'test' | 'spec' | '';
  /** The test extension the repository gives a source extension, where it is not the same (`js` -> `ts`). */
  extFor: Record<string, string>;
  /** How many of the package's tests follow the placement, of how many were read. */
  following: number;
  of: number;
}

const TEST_NAME = /^(.+?)\.(test|spec)\.([cm]?[jt]sx?)$/;
const PLAIN_NAME = /^(.+)\.([cm]?[jt]sx?)$/;
const SOURCE_EXTS = ['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs'];
const TEST_ROOTS = ['test', 'tests'];
const SOURCE_ROOTS = ['src', 'lib', 'source', 'app', ''];
/** Tests read to find the habit: plenty for a clear majority, bounded for a huge repository. */
const SAMPLE = 400;

interface Seen {
  placement: Placement;
  testRoot?: string | undefined;
  sourceRoot?: string | undefined;
  suffix: 'test' | 'spec' | '';
  pair?: { source: string; test: string } | undefined;
}

/**
 * The convention of the package at `pkg` ('' for the root), from its files
 * (root-relative paths, `node_modules` left out); undefined when it has no
 * tests of its own.
 */
export async function detectConvention(workspace: WorkspaceView, files: readonly string[], pkg: string): Promise<TestConvention | undefined> {
  const prefix = pkg === '' ? '' : `${pkg}/`;
  const inPackage = new Set(files.filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length)));
  const seen: Seen[] = [];
  for (const rel of [...inPackage].sort()) {
    if (seen.length >= SAMPLE) break;
    // Build output holds compiled copies of the tests; they say nothing about where people put them.
    if (/(^|\/)(node_modules|dist|build|out|coverage)\//.test(rel) || /\.d\.[cm]?ts$/.test(rel)) continue;
    const found = classify(rel, inPackage);
    if (!found) continue;
    const text = await workspace.read(prefix + rel).catch(() => undefined);
    if (text === undefined || isGenerated(text)) continue;
    seen.push(found);
  }
  if (seen.length === 0) return undefined;

  const key = (s: Seen) => (s.placement === 'mirror' ? `mirror:${s.testRoot}` : s.placement);
  const votes = new Map<string, Seen[]>();
  for (const s of seen) votes.set(key(s), [...(votes.get(key(s)) ?? []), s]);
  const order = ['__tests__', 'beside', ...TEST_ROOTS.map((r) => `mirror:${r}`)];
  const [, winners] = [...votes].sort((a, b) => b[1].length - a[1].length || order.indexOf(a[0]) - order.indexOf(b[0]))[0]!;
  const first = winners[0]!;
  const named = winners.map((w) => w.suffix).filter((x): x is 'test' | 'spec' => x !== '');
  // `__tests__/parse.ts` (no suffix) only when most of the folder's tests are named so.
  const suffix = first.placement === '__tests__' && named.length * 2 < winners.length ? '' : (majority(named) ?? 'test');
  const sourceRoot = first.placement === 'mirror' ? majority(winners.map((w) => w.sourceRoot).filter((r): r is string => r !== undefined)) : undefined;
  return {
    placement: first.placement,
    testRoot: first.placement === 'mirror' ? prefix + (first.testRoot ?? '') : undefined,
    sourceRoot: sourceRoot === undefined ? undefined : (prefix + sourceRoot).replace(/\/$/, ''),
    suffix,
    extFor: extensionHabit(seen),
    following: winners.length,
    of: seen.length,
  };
}

/** The `test_file` pattern of a convention for sources with these extensions (without dots). */
export function conventionPattern(convention: Omit<TestConvention, 'following' | 'of'>, sourceExts: readonly string[]): string {
  const mapped = [...new Set(sourceExts.map((e) => testExtension(convention, e)))];
  const identity = sourceExts.every((e) => testExtension(convention, e) === e);
  const ext = identity || mapped.length !== 1 ? '{ext}' : mapped[0]!;
  const suffix = convention.suffix === '' ? '' : `.${convention.suffix}`;
  switch (convention.placement) {
    case 'beside':
      return `{dir}/{name}${suffix || '.test'}.${ext}`;
    case '__tests__':
      return `{dir}/__tests__/{name}${suffix}.${ext}`;
    case 'mirror': {
      const dir = convention.sourceRoot ? `{dir:${convention.sourceRoot}}` : '{dir}';
      return `${convention.testRoot ?? 'test'}/${dir}/{name}${suffix || '.test'}.${ext}`;
    }
  }
}

/**
 * The extension of a generated test of a source with extension `ext`: the
 * repository's habit, except that it is never `.cjs` (a generated test
 * imports its runner and module; Vitest cannot be required), so `.js`.
 */
function testExtension(convention: Pick<TestConvention, 'extFor'>, ext: string): string {
  const chosen = convention.extFor[ext] ?? ext;
  return chosen === 'cjs' ? 'js' : chosen;
}

/** In words, for the task's log: `__tests__/ beside the source, *.test.*`. */
export function describeConvention(convention: Omit<TestConvention, 'following' | 'of'>): string {
  const naming = convention.suffix === '' ? 'named like the source' : `*.${convention.suffix}.*`;
  const where =
    convention.placement === 'beside' ? 'beside the source'
    : convention.placement === '__tests__' ? '__tests__/ beside the source'
    : `${convention.testRoot}/ mirroring ${convention.sourceRoot ? `${convention.sourceRoot}/` : 'the sources'}`;
  return `${where}, ${naming}`;
}

/** What a file tells about the habit, or undefined when it is not a test. */
function classify(rel: string, files: ReadonlySet<string>): Seen | undefined {
  const dir = path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel);
  const base = path.posix.basename(rel);
  const segments = dir === '' ? [] : dir.split('/');
  const inTests = segments.indexOf('__tests__');
  const named = TEST_NAME.exec(base);
  const plain = inTests !== -1 && !named ? PLAIN_NAME.exec(base) : null;
  if (!named && !plain) return undefined;
  const name = (named?.[1] ?? plain?.[1])!;
  const ext = (named?.[3] ?? plain?.[2])!;
  const suffix = (named?.[2] as 'test' | 'spec' | undefined) ?? '';
  const sourceIn = (folder: string) => {
    const found = SOURCE_EXTS.filter((e) => files.has(`${folder === '' ? '' : `${folder}/`}${name}.${e}`));
    const source = found.includes(ext) ? ext : found[0];
    return source === undefined ? undefined : { source, test: ext };
  };
  if (inTests !== -1) return { placement: '__tests__', suffix, pair: sourceIn(segments.slice(0, inTests).join('/')) };
  const top = segments[0];
  if (top !== undefined && TEST_ROOTS.includes(top)) {
    const sub = segments.slice(1).join('/');
    for (const root of SOURCE_ROOTS) {
      const pair = sourceIn([root, sub].filter((p) => p !== '').join('/'));
      if (pair) return { placement: 'mirror', testRoot: top, sourceRoot: root, suffix, pair };
    }
    return { placement: 'mirror', testRoot: top, suffix };
  }
  return { placement: 'beside', suffix, pair: sourceIn(dir) };
}

/** Per source extension, the test extension most of its tests have, where it differs. */
function extensionHabit(seen: readonly Seen[]): Record<string, string> {
  const bySource = new Map<string, string[]>();
  for (const s of seen) if (s.pair) bySource.set(s.pair.source, [...(bySource.get(s.pair.source) ?? []), s.pair.test]);
  const habit: Record<string, string> = {};
  for (const [source, tests] of bySource) {
    const most = majority(tests);
    if (most !== undefined && most !== source) habit[source] = most;
  }
  return habit;
}

/** The most frequent value (the first seen among equals), or undefined for none. */
function majority<T>(values: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | undefined;
  let bestCount = 0;
  for (const [v, n] of counts) if (n > bestCount) [best, bestCount] = [v, n];
  return best;
}
