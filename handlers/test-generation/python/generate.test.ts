/**
 * generatePythonTests on small real projects: the demo's python/app layout,
 * reruns, a person's file, verification dropping what fails, modules with
 * side effects, web routes, and bad input. Every generated module is run
 * under pytest again, by hand, to show it passes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { generatePythonTests } from './index.js';
import { pickPython } from './interpreter.js';
import { makeProject, request, runPytest, tree } from './test-support.js';

const PYTHON = await pickPython('pytest', new AbortController().signal, process.cwd());

const SCORING = [
  '"""Scoring of assessment submissions."""',
  'from dataclasses import dataclass',
  'from typing import Dict, List',
  '',
  'PASSING_SCORE = 70',
  '',
  '',
  'def percentage(score: int, total: int) -> float:',
  '    if total <= 0:',
  '        raise ValueError("total must be positive")',
  '    return round(100 * score / total, 1)',
  '',
  '',
  'def grade(percent: float) -> str:',
  '    return "pass" if percent >= PASSING_SCORE else "fail"',
  '',
  '',
  'def require_positive(total: int) -> int:',
  '    """Raises ValueError when total is below 5."""',
  '    if total < 5:',
  '        raise ValueError("too small")',
  '    return total',
  '',
  '',
  'def spread(scores: List[int]) -> int:',
  '    return max(scores) - min(scores) + 1 // (len(scores) - 1)',
  '',
  '',
  'def merge(answers: Dict[str, List[str]], extra=None):',
  '    return dict(answers)',
  '',
  '',
  'def describe(submission):',
  '    return submission["id"]',
  '',
  '',
  'class Scorer:',
  '    def __init__(self, passing: int = PASSING_SCORE):',
  '        self.passing = passing',
  '',
  '    def passed(self, percent: float) -> bool:',
  '        return percent >= self.passing',
  '',
  '',
  '@dataclass',
  'class Result:',
  '    user: str',
  '    score: int = 0',
  '',
].join('\n');

/** The demo's layout: python/pyproject.toml, python/app/, tests in python/tests/. */
function demoProject(extra: Record<string, string> = {}): string {
  return makeProject({
    'python/pyproject.toml': '[project]\nname = "app"\n\n[tool.pytest.ini_options]\naddopts = "-x"\n',
    'python/app/__init__.py': '',
    'python/app/scoring.py': SCORING,
    ...extra,
  });
}

function write(root: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}

// Several generations and pytest runs per test: allow for a loaded machine.
describe('the demo layout (python/app/scoring.py, tests in python/tests/)', { timeout: 300_000 }, () => {
  it('writes tests that import app.scoring and pass under pytest run from python/', async () => {
    const root = demoProject();
    const before = tree(root);
    const result = await generatePythonTests(request(root, 'python/app/scoring.py', 'python/tests/test_scoring.py'));
    expect(tree(root)).toEqual(before);
    const text = result.text ?? '';
    expect(text).toContain('from app import scoring\n');
    // Each call that reaches new lines is a test of its own, pinned to what it returned or raised.
    expect(text).toContain('# orchestrate: function percentage\ndef test_percentage():\n    result = scoring.percentage(1, 1)\n    assert result == pytest.approx(100.0)');
    expect(text).toContain('# orchestrate: function percentage (2)\ndef test_percentage_2():\n    with pytest.raises(ValueError) as raised:\n        scoring.percentage(1, 0)\n    assert str(raised.value) == "total must be positive"');
    expect(text).toContain("result = scoring.grade(1.5)\n    assert result == 'fail'");
    expect(text).toContain('def test_constant_passing_score():\n    assert scoring.PASSING_SCORE == 70');
    expect(text).toContain('with pytest.raises(ValueError) as raised:\n        scoring.require_positive(1)\n    assert str(raised.value) == "too small"');
    expect(text).toContain('result = scoring.require_positive(100)\n    assert result == 100');
    expect(text).toContain('with pytest.raises(ZeroDivisionError) as raised:\n        scoring.spread([1])');
    expect(text).toContain('result = scoring.Scorer().passed(1.5)\n    assert result is False');
    expect(text).toContain('instance = scoring.Result(user="example")');
    expect(text).toContain("result = scoring.merge({'example': []})\n    assert result == {'example': []}");
    expect(result.dropped).toEqual([]);

    write(root, 'python/tests/test_scoring.py', text);
    const run = await runPytest(path.join(root, 'python'), 'tests/test_scoring.py');
    expect(run.code, run.output).toBe(0);
    expect(run.passed).toBe(result.kept.length);
  });

  it('drops a test that fails under pytest, says why, and leaves a placeholder in its place', async () => {
    // mode() answers differently once pytest is loaded: the value seen while exploring fails under pytest.
    const root = demoProject({ 'python/app/mode.py': 'import sys\n\n\ndef mode() -> str:\n    return "test" if "pytest" in sys.modules else "live"\n' });
    const result = await generatePythonTests(request(root, 'python/app/mode.py', 'python/tests/test_mode.py'));
    expect(result.dropped).toEqual([{ name: 'test_mode', reason: expect.stringMatching(/AssertionError/) }]);
    expect(result.kept).not.toContain('test_mode');
    expect(result.todo).toContain('mode');
    expect(result.text).toMatch(/def test_mode\(\):\n {4}pytest\.skip\("write a test for mode: the generated test failed \(AssertionError/);
  });

  it('leaves a rerun byte-identical, and adds a block only for a function that appeared since', async () => {
    const root = demoProject();
    const first = await generatePythonTests(request(root, 'python/app/scoring.py', 'python/tests/test_scoring.py'));
    // A person edits the generated file outside the blocks' names; the edit must survive.
    const edited = `${first.text ?? ''}\n\ndef test_by_hand():\n    assert scoring.grade(90) == "pass"\n`;
    write(root, 'python/tests/test_scoring.py', edited);

    const again = await generatePythonTests(request(root, 'python/app/scoring.py', 'python/tests/test_scoring.py'));
    expect(again.text).toBeUndefined();
    expect(again.note).toContain('already has a block for every name');

    write(root, 'python/app/scoring.py', `${SCORING}\n\ndef bonus(points: int = 5) -> int:\n    return points * 2\n`);
    const grown = await generatePythonTests(request(root, 'python/app/scoring.py', 'python/tests/test_scoring.py'));
    const text = grown.text ?? '';
    expect(text.startsWith(edited)).toBe(true);
    expect(text.slice(edited.length)).toBe('\n\n# orchestrate: function bonus\ndef test_bonus():\n    result = scoring.bonus()\n    assert result == 10\n');
    expect(grown.kept).toEqual(['test_bonus']);

    write(root, 'python/tests/test_scoring.py', text);
    const run = await runPytest(path.join(root, 'python'), 'tests/test_scoring.py');
    expect(run.code, run.output).toBe(0);
  });

  it('never touches a test file a person wrote, unless overwrite is set', async () => {
    const mine = 'from app import scoring\n\n\ndef test_grade():\n    assert scoring.grade(80) == "pass"\n';
    const root = demoProject({ 'python/tests/test_scoring.py': mine });
    const kept = await generatePythonTests(request(root, 'python/app/scoring.py', 'python/tests/test_scoring.py'));
    expect(kept.text).toBeUndefined();
    expect(kept.note).toMatch(/python\/tests\/test_scoring\.py was written by a person .* set overwrite: true/);

    const replaced = await generatePythonTests(request(root, 'python/app/scoring.py', 'python/tests/test_scoring.py', { overwrite: true }));
    expect(replaced.text).toMatch(/^# Generated by orchestrate test_generation from python\/app\/scoring\.py\./);
  });

  it('keeps a person\'s file when replacing it would lower the line coverage of the source', async () => {
    const thorough = [
      'import pytest',
      'from app import scoring',
      '',
      'def test_all():',
      '    assert scoring.percentage(1, 2) == 50.0',
      '    with pytest.raises(ValueError):',
      '        scoring.percentage(1, 0)',
      '    assert scoring.grade(10) == "fail"',
      '    assert scoring.require_positive(9) == 9',
      '    assert scoring.spread([1, 3]) == 3',
      '    assert scoring.merge({}) == {}',
      '    assert scoring.describe({"id": 3}) == 3',
      '    assert scoring.Scorer().passed(80)',
      '    assert scoring.unlock("xyz")',
      '    assert not scoring.unlock("abc")',
      '    with pytest.raises(ValueError):',
      '        scoring.require_positive(1)',
      '',
    ].join('\n');
    // The code word is built at run time: no literal in the source leads the exploration to it.
    const unlock = '\n\ndef unlock(code: str) -> bool:\n    if code == "x" + "yz":\n        return True\n    return False\n';
    const root = demoProject({ 'python/app/scoring.py': SCORING + unlock, 'python/tests/test_scoring.py': thorough });
    const req = request(root, 'python/app/scoring.py', 'python/tests/test_scoring.py', { overwrite: true, coverage: true });
    const result = await generatePythonTests(req);
    expect(result.text).toBeUndefined();
    expect(result.note).toMatch(/line coverage of python\/app\/scoring\.py would go down from [\d.]+% to [\d.]+%, so python\/tests\/test_scoring\.py is left as it is/);
  });

  it('writes the candidate unverified with verify off (a dry run): typed calls only, no guesses', async () => {
    const root = demoProject();
    const result = await generatePythonTests(request(root, 'python/app/scoring.py', 'python/tests/test_scoring.py', { verify: false }));
    const text = result.text ?? '';
    expect(text).toContain('def test_grade():\n    result = scoring.grade(1.5)\n    assert isinstance(result, str)\n');
    expect(text).toContain('pytest.skip("write a test for describe: behaviour not inferred")');
    expect(result.dropped).toEqual([]);
  });
});

describe('modules with side effects and web routes', () => {
  it('replaces a module that sends mail, so a test that would send fails and is dropped', async () => {
    const root = makeProject({
      'pyproject.toml': '',
      'notify/mail.py': [
        'import smtplib',
        '',
        'def subject(name: str) -> str:',
        '    return "Hello " + name',
        '',
        'def send(to: str) -> None:',
        '    with smtplib.SMTP("localhost") as server:',
        '        server.sendmail("a@example.com", [to], subject(to))',
        '',
      ].join('\n'),
    });
    const result = await generatePythonTests(request(root, 'notify/mail.py', 'tests/test_mail.py'));
    const text = result.text ?? '';
    expect(text).toContain('@pytest.fixture(autouse=True)\ndef _offline_smtplib(monkeypatch):');
    expect(text).toContain('monkeypatch.setattr(mail, "smtplib", Offline())');
    expect(result.kept).toContain('test_subject');
    expect(result.dropped).toEqual([{ name: 'test_send', reason: expect.stringContaining('smtplib is replaced in generated tests') }]);
    write(root, 'tests/test_mail.py', text);
    const run = await runPytest(root, 'tests/test_mail.py');
    expect(run.code, run.output).toBe(0);
  });

  it('skips the whole module, with the reason, when it needs a package that is not installed', async () => {
    const root = makeProject({
      'pyproject.toml': '',
      'api/main.py': 'from surely_missing_framework import App\n\napp = App()\n\n\ndef health() -> dict:\n    return {"ok": True}\n',
    });
    const result = await generatePythonTests(request(root, 'api/main.py', 'tests/test_main.py'));
    expect(result.text).toContain('pytest.importorskip("surely_missing_framework", reason="api.main imports surely_missing_framework, which is not installed")');
    expect(result.note).toMatch(/pytest skipped the tests for api\/main\.py, so they were not checked/);
    write(root, 'tests/test_main.py', result.text ?? '');
    const run = await runPytest(root, 'tests/test_main.py');
    // Alone, a module skipped whole is pytest's "no tests ran" (exit 5), not a failure.
    expect(run.code, run.output).toBe(5);
    expect(run.output).toMatch(/1 skipped/);
    expect(run.failed).toBe(0);
  });

  it.skipIf(!canImport('flask'))('calls Flask GET routes through the test client and pins the status code', async () => {
    const root = makeProject({
      'pyproject.toml': '',
      'web/site.py': [
        'from flask import Flask',
        '',
        'app = Flask(__name__)',
        '',
        '@app.route("/health")',
        'def health():',
        '    return {"ok": True}',
        '',
        '@app.get("/users/<int:user_id>")',
        'def user(user_id):',
        '    return {"id": user_id}',
        '',
        '@app.post("/users")',
        'def create():',
        '    return {}, 201',
        '',
      ].join('\n'),
    });
    const result = await generatePythonTests(request(root, 'web/site.py', 'tests/test_site.py'));
    const text = result.text ?? '';
    expect(text).toContain('# orchestrate: route GET /health\ndef test_get_health():\n    response = site.app.test_client().get("/health")\n    assert response.status_code == 200');
    expect(text).toContain('response = site.app.test_client().get("/users/1")');
    expect(text).toContain('pytest.skip("write a test for POST /users: behaviour not inferred (create)")');
    write(root, 'tests/test_site.py', text);
    const run = await runPytest(root, 'tests/test_site.py');
    expect(run.code, run.output).toBe(0);
  });

  it('calls FastAPI GET routes through TestClient (against a stand-in for fastapi, which cannot be installed here)', async () => {
    // Only the published surface the generated test uses: FastAPI().get(path) registers a
    // route; fastapi.testclient.TestClient(app).get(path) answers with a status_code.
    const root = makeProject({
      'pyproject.toml': '',
      'fastapi/__init__.py': [
        'class FastAPI:',
        '    def __init__(self):',
        '        self.routes = {}',
        '    def get(self, path):',
        '        def register(handler):',
        '            self.routes[path] = handler',
        '            return handler',
        '        return register',
        '',
      ].join('\n'),
      'fastapi/testclient.py': [
        'class Response:',
        '    def __init__(self, status_code):',
        '        self.status_code = status_code',
        'class TestClient:',
        '    def __init__(self, app):',
        '        self.app = app',
        '    def get(self, path):',
        '        handler = self.app.routes.get(path)',
        '        if handler is None:',
        '            return Response(404)',
        '        handler()',
        '        return Response(200)',
        '',
      ].join('\n'),
      'api/main.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/health")\ndef health():\n    return {"ok": True}\n',
    });
    const result = await generatePythonTests(request(root, 'api/main.py', 'tests/test_main.py'));
    expect(result.text).toContain(
      '# orchestrate: route GET /health\ndef test_get_health():\n    from fastapi.testclient import TestClient\n\n    response = TestClient(main.app).get("/health")\n    assert response.status_code == 200\n',
    );
    expect(result.kept).toContain('test_get_health');
    write(root, 'tests/test_main.py', result.text ?? '');
    const run = await runPytest(root, 'tests/test_main.py');
    expect(run.code, run.output).toBe(0);
  });

  it.skipIf(canImport('fastapi'))('leaves FastAPI routes as placeholders saying fastapi is not installed', async () => {
    const root = makeProject({
      'pyproject.toml': '',
      'api/main.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/health")\ndef health():\n    return {"ok": True}\n',
    });
    const result = await generatePythonTests(request(root, 'api/main.py', 'tests/test_main.py'));
    expect(result.text).toContain('pytest.skip("write a test for GET /health: fastapi is not installed")');
    expect(result.text).toContain('pytest.importorskip("fastapi"');
  });
});

describe('where it runs', () => {
  it('keeps files the code writes to relative paths out of the project, and out of its tests', async () => {
    const root = makeProject({
      'pyproject.toml': '',
      'store/files.py': 'def save(name: str) -> str:\n    with open(name, "w") as handle:\n        handle.write("data")\n    return name\n',
    });
    const before = tree(root);
    const result = await generatePythonTests(request(root, 'store/files.py', 'tests/test_files.py'));
    expect(tree(root)).toEqual(before);
    // Nor does it write a test that would write into the project whenever a person runs it.
    // Only the call that fails before writing is kept; save("example") would create a file wherever pytest runs.
    expect(result.text).toContain(`with pytest.raises(FileNotFoundError) as raised:\n        files.save('')`);
    expect(result.text).not.toContain("files.save('example')");
    expect(result.text).not.toContain('files.save("example")');
    write(root, 'tests/test_files.py', result.text ?? '');
    const written = tree(root);
    const run = await runPytest(root, 'tests/test_files.py');
    expect(run.code, run.output).toBe(0);
    expect(tree(root).filter((p) => !p.includes('__pycache__'))).toEqual(written.filter((p) => !p.includes('__pycache__')));
  });

  it('verifies two sources at once into the same new tests folder (tasks in a parallel group)', async () => {
    const root = makeProject({
      'pyproject.toml': '',
      'lib/a.py': 'def one() -> int:\n    return 1\n',
      'lib/b.py': 'def two() -> int:\n    return 2\n',
    });
    const before = tree(root);
    const [a, b] = await Promise.all([
      generatePythonTests(request(root, 'lib/a.py', 'tests/unit/test_a.py')),
      generatePythonTests(request(root, 'lib/b.py', 'tests/unit/test_b.py')),
    ]);
    expect(a.kept).toEqual(['test_module_imports', 'test_one']);
    expect(b.kept).toEqual(['test_module_imports', 'test_two']);
    expect(tree(root)).toEqual(before);
  });

  it('imports a src/ layout package by its package name', async () => {
    const root = makeProject({
      'pyproject.toml': '[project]\nname = "pkg"\n',
      'src/pkg/__init__.py': '',
      'src/pkg/units.py': 'def to_cm(inches: float) -> float:\n    return inches * 2.54\n',
    });
    const result = await generatePythonTests(request(root, 'src/pkg/units.py', 'tests/test_units.py'));
    expect(result.text).toContain('from pkg import units\n');
    expect(result.text).toContain('result = units.to_cm(1.5)\n    assert result == pytest.approx(3.81)');
    write(root, 'tests/test_units.py', result.text ?? '');
    const run = await runPytest(root, 'tests/test_units.py', { PYTHONPATH: path.join(root, 'src') });
    expect(run.code, run.output).toBe(0);
  });
});

describe('async functions and cancellation', () => {
  it('runs a coroutine function with asyncio.run and checks what it returns', async () => {
    const root = makeProject({ 'pyproject.toml': '', 'svc/jobs.py': 'async def count(items: list[str]) -> int:\n    return len(items)\n' });
    const result = await generatePythonTests(request(root, 'svc/jobs.py', 'tests/test_jobs.py'));
    expect(result.text).toContain("def test_count():\n    import asyncio\n\n    result = asyncio.run(jobs.count(['example']))\n    assert result == 1\n");
    write(root, 'tests/test_jobs.py', result.text ?? '');
    const run = await runPytest(root, 'tests/test_jobs.py');
    expect(run.code, run.output).toBe(0);
  });

  it.skipIf(!canImport('pydantic'))('builds a pydantic model from its annotated fields', async () => {
    const root = makeProject({
      'pyproject.toml': '',
      'app/models.py': 'from pydantic import BaseModel\n\n\nclass User(BaseModel):\n    email: str\n    active: bool = True\n\n    def label(self) -> str:\n        return self.email\n',
    });
    const result = await generatePythonTests(request(root, 'app/models.py', 'tests/test_models.py'));
    expect(result.text).toContain("result = models.User(email='user@example.com').label()\n    assert result == 'user@example.com'");
    expect(result.kept).toContain('test_User');
    write(root, 'tests/test_models.py', result.text ?? '');
    const run = await runPytest(root, 'tests/test_models.py');
    expect(run.code, run.output).toBe(0);
  });

  it('leaves a placeholder for a call that does not finish, instead of a test that would hang', async () => {
    const root = makeProject({ 'pyproject.toml': '', 'svc/wait.py': 'import time\n\ndef wait_for(job: str) -> None:\n    while True:\n        time.sleep(0.1)\n' });
    const result = await generatePythonTests(request(root, 'svc/wait.py', 'tests/test_wait.py'));
    expect(result.text).toContain('pytest.skip("write a test for wait_for: the call did not finish within 5 seconds")');
    expect(result.dropped).toEqual([]);
  });

  it('stops when the task is cancelled while pytest runs, and removes the candidate file', async () => {
    // The module hangs only under pytest, so the candidate is on disk when the task is cancelled.
    const root = makeProject({ 'pyproject.toml': '', 'slow/mod.py': 'import sys, time\nif "pytest" in sys.modules:\n    time.sleep(120)\n\ndef f() -> int:\n    return 1\n' });
    const before = tree(root);
    const controller = new AbortController();
    const pending = generatePythonTests(request(root, 'slow/mod.py', 'tests/test_mod.py', { signal: controller.signal }));
    const outcome = pending.then(() => 'finished', (error: unknown) => error);
    await waitFor(() => tree(root).some((p) => p.startsWith('tests/_orchestrate_candidate_')));
    controller.abort();
    expect(await outcome).toBeInstanceOf(Error);
    expect(tree(root)).toEqual(before);
  });
});

/** Poll until `check` holds (the test's own timeout bounds the wait). */
async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('bad input', () => {
  it('fails on a source that does not parse, naming file:line:col, and writes nothing', async () => {
    const root = makeProject({ 'python/app/broken.py': 'def f(:\n    pass\n' });
    const before = tree(root);
    const error = await generatePythonTests(request(root, 'python/app/broken.py', 'python/tests/test_broken.py')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/^python\/app\/broken\.py:1:7: /);
    expect(tree(root)).toEqual(before);
  });

  it('writes nothing for a module that fails on import, and says why', async () => {
    const root = makeProject({
      'pyproject.toml': '',
      'conf/settings.py': 'import os\n\nDATABASE_URL = os.environ["SURELY_UNSET_DATABASE_URL"]\n\n\ndef url() -> str:\n    return DATABASE_URL\n',
    });
    const before = tree(root);
    const result = await generatePythonTests(request(root, 'conf/settings.py', 'tests/test_settings.py'));
    expect(result.text).toBeUndefined();
    expect(result.kept).toEqual([]);
    expect(result.dropped.map((d) => d.name)).toEqual(['test_module_imports', 'test_url']);
    expect(result.note).toMatch(/^conf\/settings\.py: pytest could not load the generated tests from the root \(.*KeyError.*SURELY_UNSET_DATABASE_URL/);
    expect(tree(root)).toEqual(before);
  });

  it('refuses a test file outside the root before running anything', async () => {
    const root = makeProject({ 'm/x.py': 'def f() -> int:\n    return 1\n' });
    const error = await generatePythonTests(request(root, 'm/x.py', 'tests/test_x.py', { testFile: '../escape/test_x.py' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe('../escape/test_x.py is outside the target root');
  });

  it('says which interpreter it wanted when ORCHESTRATE_PYTHON cannot run pytest', async () => {
    const root = makeProject({ 'm/x.py': 'def f() -> int:\n    return 1\n' });
    const previous = process.env.ORCHESTRATE_PYTHON;
    process.env.ORCHESTRATE_PYTHON = path.join(root, 'no-such-python');
    try {
      const error = await generatePythonTests(request(root, 'm/x.py', 'tests/test_x.py')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message).toMatch(/^no Python interpreter with pytest found \(tried .*no-such-python\)/);
      expect((error as UserError).hint).toContain('ORCHESTRATE_PYTHON');
    } finally {
      if (previous === undefined) delete process.env.ORCHESTRATE_PYTHON;
      else process.env.ORCHESTRATE_PYTHON = previous;
    }
  });
});

/** Whether the interpreter the generator picks has `module` (so routes get called, not skipped). */
function canImport(module: string): boolean {
  try {
    execFileSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('exploring calls', () => {
  it('constructs a dataclass from another module of the project, and writes one test per outcome of the function', async () => {
    const root = makeProject({
      'pyproject.toml': '',
      'app/__init__.py': '',
      'app/models.py': 'from dataclasses import dataclass\n\n\n@dataclass\nclass Order:\n    item: str\n    quantity: int\n',
      'app/billing.py': 'from app.models import Order\n\n\ndef total(order: Order, unit_price: float) -> float:\n    if order.quantity <= 0:\n        raise ValueError("quantity must be positive")\n    return order.quantity * unit_price\n',
    });
    const result = await generatePythonTests(request(root, 'app/billing.py', 'tests/test_billing.py'));
    const text = result.text ?? '';
    expect(text).toContain("def test_total():\n    import app.models\n\n    result = billing.total(app.models.Order('example', 1), 1.5)\n    assert result == pytest.approx(1.5)\n");
    expect(text).toContain("def test_total_2():\n    import app.models\n\n    with pytest.raises(ValueError) as raised:\n        billing.total(app.models.Order('example', 0), 1.5)\n    assert str(raised.value) == \"quantity must be positive\"\n");
    expect(result.kept).toEqual(['test_module_imports', 'test_total', 'test_total_2']);
    write(root, 'tests/test_billing.py', text);
    const run = await runPytest(root, 'tests/test_billing.py');
    expect(run.code, run.output).toBe(0);
    expect(run.passed).toBe(3);
  });

  it('fills the argv parameter of a function that reads sys.argv, so the test does not depend on how pytest was started', async () => {
    const root = makeProject({
      'pyproject.toml': '',
      'cli/greet.py': 'import sys\nfrom typing import List, Optional\n\n\ndef parse(argv: Optional[List[str]] = None) -> str:\n    args = sys.argv[1:] if argv is None else argv\n    if not args:\n        raise SystemExit("usage: greet NAME")\n    return "hello " + args[0]\n',
    });
    const result = await generatePythonTests(request(root, 'cli/greet.py', 'tests/test_greet.py'));
    const text = result.text ?? '';
    expect(text).toContain("result = greet.parse(['example'])");
    expect(text).toContain('with pytest.raises(SystemExit) as raised:\n        greet.parse([])\n    assert str(raised.value) == "usage: greet NAME"');
    expect(text).not.toContain('greet.parse()');
    write(root, 'tests/test_greet.py', text);
    // Run with arguments of pytest's own on the command line: the tests still pass.
    const run = await runPytest(root, 'tests/test_greet.py');
    expect(run.code, run.output).toBe(0);
  });
});
