/**
 * What `orchestrate init` reads of a repository's Python side: where the
 * project is (the root or a folder one level down with a pyproject.toml,
 * setup.py, setup.cfg or requirements file), whether it tests with pytest,
 * and whether a coverage minimum is configured.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isDirectory, read } from './inspect-node.js';
import { pythonTestTargets } from './test-targets.js';

export interface PythonFacts {
  /** The project's folder, relative to the root ('.' for the root). */
  dir: string;
  pytest: boolean;
  /** The file that configures pytest, when one does. */
  pytestConfig: string | undefined;
  /** A coverage minimum (`--cov-fail-under`, `fail_under`) is configured. */
  hasCoverageMinimum: boolean;
  /** Globs of the sources generated tests should cover (see test-targets.ts); empty when none were found. */
  testTargets: string[];
}

const MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg', 'requirements.txt', 'requirements-dev.txt', 'pytest.ini', 'tox.ini'];
const SKIP = new Set(['node_modules', '.git', '.venv', 'venv', 'dist', 'build', 'coverage', '.github']);

/** The Python project of `root`, or undefined when there is none. */
export function inspectPython(root: string): PythonFacts | undefined {
  const candidates = ['.', ...safeList(root).filter((name) => !name.startsWith('.') && !SKIP.has(name) && isDirectory(path.join(root, name))).sort()];
  const dir = candidates.find((candidate) => MARKERS.some((marker) => fs.existsSync(path.join(root, candidate, marker))));
  if (dir === undefined) return undefined;
  const files = MARKERS.map((marker) => path.posix.join(dir, marker)).filter((file) => fs.existsSync(path.join(root, file)));
  const texts = new Map(files.map((file) => [file, read(path.join(root, file))]));
  const pytestConfig = files.find((file) => /pytest\.ini$/.test(file) || /\[tool\.pytest|\[pytest\]|\[tool:pytest\]/.test(texts.get(file) ?? ''));
  const mentions = [...texts.values()].some((text) => /\bpytest\b/.test(text));
  const conftest = fs.existsSync(path.join(root, dir, 'conftest.py')) || fs.existsSync(path.join(root, dir, 'tests', 'conftest.py'));
  return {
    dir,
    pytest: pytestConfig !== undefined || mentions || conftest,
    pytestConfig,
    hasCoverageMinimum: [...texts.values()].some((text) => /--cov-fail-under|fail_under/.test(text)),
    testTargets: pythonTestTargets(root, dir),
  };
}

function safeList(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
