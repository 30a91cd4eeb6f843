/** The analysis of Python sources by python3's ast, and how a source is imported. */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { analysePython, type PythonModule } from './analyse.js';
import { pickPython } from './interpreter.js';
import { pythonLayout } from './layout.js';
import { makeProject } from './test-support.js';

async function analyse(sourceText: string, source = 'app/mod.py'): Promise<PythonModule> {
  const root = makeProject({});
  const signal = new AbortController().signal;
  return analysePython({ python: await pickPython('ast', signal, root), cwd: root, source, sourceText, signal });
}

describe('analysePython', () => {
  it('reports functions with their parameters, annotations, defaults and representative values', async () => {
    const info = await analyse(
      [
        'from typing import Optional, List',
        'def score(answers: list[str], total: int, *, strict: bool = False) -> float:',
        '    """Raises:\n        ValueError: when total is 0."""',
        '    return 1.0',
        'async def fetch(user_id: Optional[str], limit=10) -> Optional[int]:',
        '    return None',
        'def raw(x, *args, **kwargs):',
        '    raise KeyError(x)',
        'def _private(): pass',
      ].join('\n'),
    );
    expect(info.functions.map((f) => f.name)).toEqual(['score', 'fetch', 'raw']);
    const [score, fetch, raw] = info.functions;
    expect(score?.params.map((p) => [p.name, p.kind, p.annotation, p.default, p.example])).toEqual([
      ['answers', 'positional', 'list[str]', null, '["example"]'],
      ['total', 'positional', 'int', null, '1'],
      ['strict', 'keyword_only', 'bool', 'False', 'True'],
    ]);
    expect(score?.return_check).toBe('(int, float)');
    expect(score?.raises).toEqual(['ValueError']);
    expect(fetch?.async).toBe(true);
    expect(fetch?.params[0]?.example).toBe('"example"');
    expect(fetch?.return_check).toBe('(int, type(None))');
    expect(raw?.params.map((p) => p.kind)).toEqual(['positional', 'var_positional', 'var_keyword']);
    expect(raw?.raises).toEqual(['KeyError']);
  });

  it('marks functions whose result depends on the process (arguments, stdin, clock, environment) as not to be pinned', async () => {
    const info = await analyse(
      [
        'import os, sys, time',
        'def cli(argv=None) -> int:',
        '    args = sys.argv[1:] if argv is None else argv',
        '    return len(args)',
        'def here() -> str:',
        '    return os.getcwd()',
        'def stamp() -> float:',
        '    return time.time()',
        'def pure(x: int) -> int:',
        '    return x + 1',
      ].join('\n'),
    );
    expect(info.functions.map((f) => [f.name, f.nondeterministic])).toEqual([
      ['cli', true],
      ['here', true],
      ['stamp', true],
      ['pure', false],
    ]);
  });

  it('honours __all__ and reports classes, dataclass fields, properties and literal constants', async () => {
    const info = await analyse(
      [
        'from dataclasses import dataclass',
        '__all__ = ["Scorer", "Result", "PASS_MARK", "LIMITS"]',
        'PASS_MARK = 70',
        'LIMITS = (1, 2.5)',
        'COMPUTED = 1.0 / 3.0',
        'class Scorer:',
        '    def __init__(self, passing: int = 70): self.passing = passing',
        '    def grade(self, value: int) -> str: return "A"',
        '    @property',
        '    def name(self): return "s"',
        '    def _hidden(self): pass',
        '@dataclass',
        'class Result:',
        '    user: str',
        '    score: int = 0',
        'class Child(Scorer): pass',
        'def helper(): pass',
      ].join('\n'),
    );
    expect(info.all).toEqual(['Scorer', 'Result', 'PASS_MARK', 'LIMITS']);
    expect(info.functions).toEqual([]); // helper is not in __all__
    expect(info.constants.map((c) => [c.name, c.value])).toEqual([
      ['PASS_MARK', '70'],
      ['LIMITS', '(1, 2.5)'],
    ]);
    const [scorer, result] = info.classes;
    expect(scorer?.init?.map((p) => p.name)).toEqual(['passing']);
    expect(scorer?.methods).toEqual(['grade']);
    expect(scorer?.properties).toEqual(['name']);
    expect(result?.init?.map((p) => [p.name, p.kind, p.default, p.example])).toEqual([
      ['user', 'keyword_only', null, '"example"'],
      ['score', 'keyword_only', '0', '1'],
    ]);
  });

  it('takes the annotated fields of pydantic models and NamedTuples as their constructor', async () => {
    const info = await analyse(
      [
        'from typing import NamedTuple',
        'from pydantic import BaseModel',
        'class User(BaseModel):',
        '    email: str',
        '    active: bool = True',
        'class Point(NamedTuple):',
        '    x: float',
        '    y: float = 0.0',
      ].join('\n'),
    );
    expect(info.classes.map((c) => [c.name, c.init?.map((p) => [p.name, p.default, p.example])])).toEqual([
      ['User', [['email', null, '"example"'], ['active', 'True', 'True']]],
      ['Point', [['x', null, '1.5'], ['y', '0.0', '1.5']]],
    ]);
  });

  it('finds FastAPI and Flask routes and the objects they hang on', async () => {
    const info = await analyse(
      [
        'from fastapi import FastAPI, APIRouter',
        'from flask import Flask',
        'app = FastAPI()',
        'router = APIRouter()',
        'site = Flask(__name__)',
        '@app.get("/health")',
        'def health(): return {"ok": True}',
        '@router.post("/items/{item_id}")',
        'def create(item_id: int): return {}',
        '@site.route("/login", methods=["GET", "POST"])',
        'def login(): return ""',
      ].join('\n'),
    );
    expect(info.apps).toEqual({ app: 'FastAPI', router: 'APIRouter', site: 'Flask' });
    expect(info.functions.map((f) => [f.name, f.routes])).toEqual([
      ['health', [{ object: 'app', methods: ['GET'], path: '/health' }]],
      ['create', [{ object: 'router', methods: ['POST'], path: '/items/{item_id}' }]],
      ['login', [{ object: 'site', methods: ['GET', 'POST'], path: '/login' }]],
    ]);
  });

  it('marks imports of modules with side effects, guarded ones, and those not installed', async () => {
    const info = await analyse(
      [
        'import smtplib',
        'import json',
        'from requests import get as fetch',
        'try:',
        '    import redis',
        'except ImportError:',
        '    redis = None',
        'import surely_not_installed_here',
        'def send():',
        '    import boto3',
      ].join('\n'),
    );
    const byModule = Object.fromEntries(info.imports.map((i) => [i.module, i]));
    expect(byModule.smtplib).toMatchObject({ names: ['smtplib'], side_effect: true, toplevel: true, available: true });
    expect(byModule.json).toMatchObject({ side_effect: false });
    expect(byModule.requests).toMatchObject({ names: ['fetch'], side_effect: true });
    expect(byModule.redis).toMatchObject({ guarded: true });
    expect(byModule.surely_not_installed_here).toMatchObject({ available: false, toplevel: true, guarded: false });
    expect(byModule.boto3).toMatchObject({ toplevel: false, side_effect: true });
  });

  it('names file:line:col of a syntax error, as a UserError with a hint', async () => {
    const error = await analyse('def ok():\n    return 1\n\ndef broken(:\n    pass\n', 'python/app/broken.py').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/^python\/app\/broken\.py:4:12: invalid syntax/);
    expect((error as UserError).message).toContain('def broken(:');
    expect((error as UserError).hint).toContain('fix the syntax error');
    expect((error as UserError).retryable).toBe(false);
  });
});

describe('pythonLayout', () => {
  it('imports the demo layout python/app/scoring.py as app.scoring, from python/', () => {
    const root = makeProject({ 'python/pyproject.toml': '', 'python/app/__init__.py': '', 'python/app/scoring.py': '' });
    expect(pythonLayout(root, 'python/app/scoring.py', 'python/tests/test_scoring.py')).toEqual({
      projectDir: 'python',
      importBase: 'python',
      module: 'app.scoring',
      alias: 'scoring',
    });
  });

  it('treats a top-level python/ folder as the project even without a config file', () => {
    const root = makeProject({ 'python/app/scoring.py': '' });
    expect(pythonLayout(root, 'python/app/scoring.py', 'python/tests/test_scoring.py').module).toBe('app.scoring');
  });

  it('strips src/ in a src layout and names packages by their __init__.py', () => {
    const root = makeProject({ 'pyproject.toml': '', 'src/pkg/__init__.py': '', 'src/pkg/util.py': '' });
    expect(pythonLayout(root, 'src/pkg/util.py', 'tests/test_util.py')).toMatchObject({ projectDir: '', importBase: 'src', module: 'pkg.util' });
    expect(pythonLayout(root, 'src/pkg/__init__.py', 'tests/test_pkg.py')).toMatchObject({ module: 'pkg', alias: 'pkg' });
  });

  it('refuses a path Python cannot import, saying which part is wrong', () => {
    const root = makeProject({ 'my-tools/run.py': '' });
    expect(() => pythonLayout(root, 'my-tools/run.py', 'tests/test_run.py')).toThrow(/"my-tools" is not a valid Python module name/);
  });
});
