/**
 * Which sources `orchestrate init` proposes generated tests for: the code a
 * package is made of, not its scripts, configs or tests. For Node: `src/`
 * (else `lib/`) as a glob, else what package.json publishes (`files`), else
 * the source files at the root that are not configs. For Python: the
 * import packages (folders with `__init__.py`) at the project's folder or
 * below its `src/`, else its top-level modules that are not build or test
 * scaffolding. Reads files only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isDirectory } from './inspect-node.js';

const TS_SOURCE = /\.(ts|tsx|mts|cts)$/;
const JS_SOURCE = /\.(js|jsx|mjs|cjs)$/;
const TEST_LIKE = /(^|\/)(__tests__|__mocks__|tests?)\/|\.(test|spec)\.[^/]+$|\.d\.[cm]?ts$|(^|\/)test_[^/]+\.py$|_test\.py$/;
/** Root files that configure tools rather than make up the package. */
const TOOL_FILE = /(^|\/)(\.|[^/]*\.config\.[^/]+$|[^/]*rc\.[cm]?js$|gulpfile\.|gruntfile\.|webpack\.|rollup\.|setup\.py$|conftest\.py$|noxfile\.py$|fabfile\.py$|manage\.py$)/i;
const NOT_PACKAGES = new Set(['tests', 'test', 'docs', 'doc', 'examples', 'scripts', 'build', 'dist', 'node_modules', 'venv', '.venv']);

/** Globs (relative to the root) of the Node sources a test_generation task should cover; empty when none are found. */
export function nodeTestTargets(root: string, language: 'typescript' | 'javascript', files: unknown): string[] {
  const ext = language === 'typescript' ? '{ts,tsx}' : '{js,jsx,mjs,cjs}';
  const source = language === 'typescript' ? TS_SOURCE : JS_SOURCE;
  for (const dir of ['src', 'lib']) if (isDirectory(path.join(root, dir))) return [`${dir}/**/*.${ext}`];
  const published = Array.isArray(files) ? files.filter((entry): entry is string => typeof entry === 'string') : [];
  const fromFiles = published
    .map((entry) => entry.replace(/^\.\//, '').replace(/\/+$/, ''))
    .filter((entry) => entry !== '' && !entry.includes('*') && !entry.startsWith('..') && !TEST_LIKE.test(`${entry}/`))
    .flatMap((entry) => (isDirectory(path.join(root, entry)) ? [`${entry}/**/*.${ext}`] : source.test(entry) && !TEST_LIKE.test(entry) && fs.existsSync(path.join(root, entry)) ? [entry] : []));
  if (fromFiles.length > 0) return fromFiles;
  return list(root).filter((name) => source.test(name) && !TEST_LIKE.test(name) && !TOOL_FILE.test(name));
}

/** Globs (relative to the root) of the Python sources of the project in `dir`; empty when none are found. */
export function pythonTestTargets(root: string, dir: string): string[] {
  const join = (...parts: string[]) => path.posix.join(...parts.filter((part) => part !== '.'));
  for (const base of [dir, join(dir, 'src')]) {
    const packages = list(path.join(root, base)).filter((name) => !NOT_PACKAGES.has(name) && !name.startsWith('.') && fs.existsSync(path.join(root, base, name, '__init__.py')));
    if (packages.length > 0) return packages.map((name) => `${join(base, name)}/**/*.py`);
  }
  return list(path.join(root, dir))
    .filter((name) => name.endsWith('.py') && !TEST_LIKE.test(name) && !TOOL_FILE.test(name))
    .map((name) => join(dir, name));
}

function list(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}
