/**
 * Where a source's test file goes: the `test_file` pattern expanded and kept
 * inside the root, or the default pattern. Apart from targets.ts (which
 * lists files with git) so that `plan` can name a task's test file without
 * loading that.
 */
import path from 'node:path';
import { UserError } from '../../src/errors.js';

/**
 * Where the test for `source` goes under `pattern` ({dir}, {dir:P}, {name},
 * {ext}); refuses a path leaving the root. `{dir:P}` is the source's folder
 * relative to folder P, for a test tree mirroring it (`test/{dir:src}/...`).
 */
export function testFileFor(pattern: string, source: string): string {
  const dir = path.posix.dirname(source);
  const ext = path.posix.extname(source);
  const name = path.posix.basename(source, ext);
  const expanded = pattern
    .replace(/\{dir:([^}]*)\}/g, (_, base: string) => dirBelow(dir, base, source, pattern))
    .replaceAll('{dir}', dir === '.' ? '' : dir)
    .replaceAll('{name}', name)
    .replaceAll('{ext}', ext.slice(1));
  const leftover = /\{[^}]*\}/.exec(expanded);
  if (leftover) {
    throw new UserError(`test_file pattern "${pattern}" has an unknown placeholder ${leftover[0]}`, { retryable: false, hint: 'Use {dir}, {dir:src}, {name} and {ext}, e.g. "{dir}/__tests__/{name}.test.ts".' });
  }
  const cleaned = path.posix.normalize(expanded.replace(/^\/+(?=.)/, pattern.startsWith('{dir}') ? '' : '/'));
  if (path.posix.isAbsolute(cleaned) || cleaned === '..' || cleaned.startsWith('../') || path.isAbsolute(pattern)) {
    throw new UserError(`test_file pattern "${pattern}" puts the test of ${source} at ${cleaned}, outside the target root`, {
      retryable: false,
      hint: 'Write test_file relative to the target root, without "..", e.g. "{dir}/__tests__/{name}.test.ts".',
    });
  }
  return cleaned.replace(/^\.\//, '');
}

/** `dir` relative to `base` (both root-relative); a source outside `base` cannot mirror it. */
function dirBelow(dir: string, base: string, source: string, pattern: string): string {
  const from = path.posix.normalize(base.trim() === '' ? '.' : base).replace(/\/+$/, '');
  const within = dir === '.' ? '' : dir;
  if (from === '.') return within;
  if (within === from) return '';
  if (within.startsWith(`${from}/`)) return within.slice(from.length + 1);
  throw new UserError(`test_file pattern "${pattern}" mirrors ${from}/, but ${source} is not in it`, {
    retryable: false,
    file: source,
    hint: `Narrow the task's targets to ${from}/, or write test_file with {dir} instead of {dir:${base}}.`,
  });
}

/** The default test file pattern for a source. */
export function defaultPattern(source: string): string {
  if (source.endsWith('.py')) return 'tests/test_{name}.py';
  // A .cjs test could not `import` (and Vitest cannot be `require`d): the test of a .cjs source is a .js file.
  return source.endsWith('.cjs') ? '{dir}/{name}.test.js' : '{dir}/{name}.test.{ext}';
}
