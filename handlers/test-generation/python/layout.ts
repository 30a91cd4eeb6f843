/**
 * Works out how a project imports a Python source, the way pytest will see
 * it: the project directory (the nearest one holding pyproject.toml,
 * setup.cfg, setup.py, pytest.ini or tox.ini, else conftest.py, else a
 * top-level `python/` folder, else the root), where packages start (`src/`
 * layout or the project directory) and the dotted module name
 * (`python/app/scoring.py` -> `app.scoring`, run from `python/`). The
 * project's own layout files are read from disk, as pytest reads them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../../src/errors.js';

const CONFIG_FILES = ['pyproject.toml', 'setup.cfg', 'setup.py', 'pytest.ini', 'tox.ini'];
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface PythonLayout {
  /** Root-relative directory pytest runs in ('' for the root). */
  projectDir: string;
  /** Root-relative directory the module name is relative to (projectDir, or its src/). */
  importBase: string;
  /** Dotted module name, e.g. `app.scoring`. */
  module: string;
  /** The name the tests use for the module, e.g. `scoring`. */
  alias: string;
}

/** How `source` is imported by tests in `testFile` (both root-relative, POSIX separators). */
export function pythonLayout(root: string, source: string, testFile: string): PythonLayout {
  const ancestors = ancestorsOf(source);
  const holds = (dir: string, names: string[]): boolean => names.some((name) => existsSync(path.join(root, dir, name)));
  let projectDir =
    ancestors.find((dir) => holds(dir, CONFIG_FILES)) ??
    ancestors.find((dir) => holds(dir, ['conftest.py'])) ??
    (source.startsWith('python/') ? 'python' : '');
  // pytest runs from one directory for both files: it has to hold the test file too.
  if (!isInside(testFile, projectDir)) projectDir = '';
  const inProject = relativeTo(source, projectDir);
  const importBase = inProject.startsWith('src/') ? join(projectDir, 'src') : projectDir;
  const parts = relativeTo(source, importBase).replace(/\.py$/, '').split('/');
  if (parts[parts.length - 1] === '__init__' && parts.length > 1) parts.pop();
  const bad = parts.find((part) => !IDENTIFIER.test(part));
  if (bad !== undefined) {
    throw new UserError(`${source} cannot be imported by its tests: "${bad}" is not a valid Python module name`, {
      retryable: false,
      file: source,
      hint: `Python imports ${source} from ${importBase || 'the root'} as ${parts.join('.')}; rename the folder or file, or add a pyproject.toml where its package starts.`,
    });
  }
  return { projectDir, importBase, module: parts.join('.'), alias: parts[parts.length - 1] ?? 'subject' };
}

/** The directories containing `file`, nearest first, ending with the root (''). */
function ancestorsOf(file: string): string[] {
  const dirs: string[] = [];
  let dir = path.posix.dirname(file);
  while (dir !== '.' && dir !== '/' && dir !== '') {
    dirs.push(dir);
    dir = path.posix.dirname(dir);
  }
  dirs.push('');
  return dirs;
}

function isInside(file: string, dir: string): boolean {
  return dir === '' || file.startsWith(`${dir}/`);
}

function relativeTo(file: string, dir: string): string {
  return dir === '' ? file : file.slice(dir.length + 1);
}

function join(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}
