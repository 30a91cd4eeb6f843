/**
 * Which sources a task covers and where each one's test goes: a single
 * `target`, or `targets` globs matched against the repository's files with
 * .gitignore respected (git's own pathspec matching when the target is a git
 * repository), the `test_file` pattern expanded and kept inside the root, and
 * the `only_untested` check for an existing test beside the source.
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../../src/errors.js';
import type { WorkspaceView } from '../../src/workspace/types.js';

export { defaultPattern, testFileFor } from './test-file-pattern.js';

const SOURCE_EXT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|py)$/;
const TEST_LIKE = /(^|\/)(__tests__|__mocks__)\/|\.(test|spec)\.[^/]+$|(^|\/)test_[^/]+\.py$|_test\.py$|\.d\.[cm]?ts$/;

/** Root-relative source files named by the task's `target` or `targets`. */
export async function resolveSources(workspace: WorkspaceView, target: string | undefined, targets: string | string[] | undefined): Promise<string[]> {
  if (target !== undefined) {
    const relative = normalize(target, 'target');
    workspace.resolve(relative);
    if ((await workspace.read(relative)) === undefined) {
      throw new UserError(`target ${relative} does not exist`, { retryable: false, file: relative, hint: 'Fix the path (relative to the target root) in the task.' });
    }
    return [relative];
  }
  const globs = targets === undefined ? [] : Array.isArray(targets) ? targets : [targets];
  if (globs.length === 0) {
    throw new UserError('a test_generation task needs `target` (one file) or `targets` (a glob)', { retryable: false, hint: 'Add `target: src/x.ts` or `targets: "src/**/*.ts"` to the task.' });
  }
  for (const glob of globs) normalize(glob, 'targets');
  const files = (await listFiles(workspace.root, globs, workspace)).filter((file) => SOURCE_EXT.test(file) && !TEST_LIKE.test(file));
  if (files.length === 0) {
    throw new UserError(`targets ${globs.map((g) => `"${g}"`).join(', ')} matched no source files`, {
      retryable: false,
      hint: 'Globs are relative to the target root (e.g. "src/**/*.ts"); files ignored by .gitignore, tests and .d.ts files are left out.',
    });
  }
  return [...new Set(files)].sort();
}

/**
 * Conventional places of a test for `source` besides the pattern's: sibling
 * *.test.* / *.spec.*, __tests__/, and a test/ or tests/ tree mirroring the
 * source's top folder (`src/a/b.ts` -> `test/a/b.test.ts`).
 */
export function conventionalTests(source: string): string[] {
  const dir = path.posix.dirname(source);
  const ext = path.posix.extname(source);
  const name = path.posix.basename(source, ext);
  const join = (...parts: string[]) => path.posix.join(...parts);
  if (ext === '.py') return [join(dir, `test_${name}.py`), join(dir, `${name}_test.py`), join('tests', `test_${name}.py`)];
  const exts = ['ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs', 'mts', 'cts'];
  const below = dir.includes('/') ? dir.slice(dir.indexOf('/') + 1) : '';
  const mirrors = dir === '.' ? [] : ['test', 'tests'].map((root) => join(root, below));
  return exts.flatMap((e) => [
    join(dir, `${name}.test.${e}`),
    join(dir, `${name}.spec.${e}`),
    join(dir, '__tests__', `${name}.test.${e}`),
    join(dir, '__tests__', `${name}.spec.${e}`),
    join(dir, '__tests__', `${name}.${e}`),
    ...mirrors.flatMap((mirror) => [join(mirror, `${name}.test.${e}`), join(mirror, `${name}.spec.${e}`)]),
  ]);
}

function normalize(value: string, field: string): string {
  const cleaned = path.posix.normalize(value.replace(/\\/g, '/')).replace(/^\.\//, '');
  if (path.posix.isAbsolute(cleaned) || cleaned === '..' || cleaned.startsWith('../')) {
    throw new UserError(`${field} "${value}" is outside the target root`, { retryable: false, hint: `Write ${field} relative to the target root, without "..".` });
  }
  return cleaned;
}

/**
 * Files matching the globs: git's pathspecs (honouring .gitignore), or a walk
 * of the tree when the root is not a git repository. With the task's
 * `workspace`, a dry run lists each set of globs once for all its tasks (it
 * changes nothing on disk), instead of starting git twice per call.
 */
export async function listFiles(root: string, globs: readonly string[], workspace?: Pick<WorkspaceView, 'diskReading'>): Promise<string[]> {
  const share = <T>(key: string, read: () => Promise<T>): Promise<T> => (workspace?.diskReading ? workspace.diskReading(key, read) : read());
  // Whether the root has a git view of its own is the same for every set of globs: a dry run asks git once.
  const ignored = () => share(`gitIgnoresRoot ${root}`, () => gitIgnoresRoot(root));
  return share(`listFiles ${root} ${JSON.stringify(globs)}`, () => listFilesNow(root, globs, ignored));
}

async function listFilesNow(root: string, globs: readonly string[], ignored: () => Promise<boolean> = () => gitIgnoresRoot(root)): Promise<string[]> {
  const viaGit = (await ignored()) ? undefined : await gitLsFiles(root, globs);
  if (viaGit !== undefined) return viaGit;
  const matchers = globs.map(globToRegExp);
  const all = (await readdir(root, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((file) => !/(^|\/)(node_modules|\.git)\//.test(file));
  return all.filter((file) => matchers.some((m) => m.test(file)));
}

/** A root that an enclosing repository ignores (a scratch copy inside node_modules, say) has no git view of its own. */
async function gitIgnoresRoot(root: string): Promise<boolean> {
  return (await git(root, ['check-ignore', '-q', '.'])).code === 0;
}

/** Files git lists for the globs (tracked and untracked, not ignored); undefined when the root is not in a git work tree. */
async function gitLsFiles(root: string, globs: readonly string[]): Promise<string[] | undefined> {
  const listed = await git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...globs.map((g) => `:(glob)${g}`)]);
  return listed.code === 0 ? listed.out.split('\0').filter((f) => f !== '') : undefined;
}

function git(cwd: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('git', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', () => resolve({ code: null, out: '' }));
    child.on('close', (code) => resolve({ code, out }));
  });
}

/** A glob (`**`, `*`, `?`, `{a,b}`) as a regular expression over root-relative paths. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') {
      const close = glob.indexOf('}', i);
      if (close === -1) out += '\\{';
      else {
        out += `(?:${glob.slice(i + 1, close).split(',').map((part) => part.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')).join('|')})`;
        i = close;
      }
    } else out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}
