/**
 * Picks the Python interpreter that analyses sources and runs generated tests:
 * `ORCHESTRATE_PYTHON` when set, else the first of `python3` and
 * `/usr/bin/python3` that can import what the step needs (nothing for
 * analysis; pytest to verify; pytest and coverage.py to compare coverage).
 * The answer is remembered for the life of the process.
 */
import { UserError } from '../../../src/errors.js';
import { runProcess } from '../../../src/engine/process.js';

/** What the interpreter must be able to import. */
export type PythonNeeds = 'ast' | 'pytest' | 'coverage';

const CANDIDATES = ['python3', '/usr/bin/python3'];
const IMPORTS: Record<PythonNeeds, string> = {
  ast: 'import ast',
  pytest: 'import pytest',
  coverage: 'import pytest, coverage',
};
const found = new Map<string, Promise<string | undefined>>();

/** The interpreter to use for `needs`; a UserError saying what to install when none fits. */
export async function pickPython(needs: PythonNeeds, signal: AbortSignal, cwd: string): Promise<string> {
  const configured = process.env.ORCHESTRATE_PYTHON;
  const candidates = configured ? [configured] : CANDIDATES;
  for (const candidate of candidates) {
    const key = `${candidate}\0${needs}`;
    let check = found.get(key);
    if (check === undefined) {
      check = canImport(candidate, needs, signal, cwd);
      found.set(key, check);
    }
    if ((await check) !== undefined) return candidate;
    if (signal.aborted) found.delete(key);
  }
  const what = needs === 'ast' ? 'Python 3' : needs === 'pytest' ? 'pytest' : 'pytest and coverage.py';
  throw new UserError(`no Python interpreter with ${what} found (tried ${candidates.join(', ')})`, {
    retryable: false,
    hint: configured
      ? `ORCHESTRATE_PYTHON is ${configured}: point it at a python3 that can \`${IMPORTS[needs]}\`, or install what is missing there.`
      : `Install ${what} for python3 (e.g. \`python3 -m pip install pytest pytest-cov\`, or Debian's python3-pytest python3-coverage), or set ORCHESTRATE_PYTHON to an interpreter that has them.`,
  });
}

async function canImport(candidate: string, needs: PythonNeeds, signal: AbortSignal, cwd: string): Promise<string | undefined> {
  const result = await runProcess([candidate, '-c', IMPORTS[needs]], {
    cwd,
    signal,
    timeoutMs: 30_000,
    env: { PYTHONDONTWRITEBYTECODE: '1' },
  });
  return result.exitCode === 0 ? candidate : undefined;
}
