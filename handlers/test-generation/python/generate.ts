/**
 * Turns the analysis of a Python module into pytest blocks. First `planTests`
 * lists the subjects (the module, constants, functions, classes, routes, and
 * fixtures that keep modules with side effects offline) with the calls worth
 * trying; then each subject renders its block, using what the probe learned
 * about those calls when it ran. A subject whose behaviour cannot be known
 * becomes a `pytest.skip` placeholder naming it.
 */
import type { PythonClass, PythonFunction, PythonModule, PythonParam } from './analyse.js';
import { BLOCK_MARKER, type Block } from './blocks.js';
import type { ProbeOutcome } from './probe.js';

/** Values tried, in turn, for parameters without an annotation or default (only when a probe confirms them). */
const GUESSES = ['1', '0.5', '"example"', '[1, 2, 3]'];
const WEB_MODULES = { FastAPI: 'fastapi', APIRouter: 'fastapi', Flask: 'flask', Blueprint: 'flask' } as const;

/** One thing to test, before the probe. */
export interface Subject {
  key: string;
  /** Calls to try, in order (Python expressions); empty when nothing needs trying. */
  candidates: string[];
  /** The block, given what the probe learned (undefined when there was no probe or it could not run). */
  render(outcome: ProbeOutcome | undefined, probed: boolean): Omit<Block, 'key'>;
}

/** Every subject of the module. */
export function planTests(info: PythonModule, module: string, alias: string): Subject[] {
  const subjects: Subject[] = [moduleSubject(info, module, alias)];
  for (const name of offlineNames(info)) subjects.push(offlineSubject(name, alias));
  for (const constant of info.constants) {
    subjects.push(fixed(`constant ${constant.name}`, 'test', constant.name, `test_constant_${snake(constant.name)}`, [
      `assert ${alias}.${constant.name} == ${constant.value}`,
    ]));
  }
  for (const fn of info.functions) {
    if (fn.routes.length === 0) subjects.push(functionSubject(fn, alias));
    for (const route of fn.routes) {
      for (const method of route.methods) subjects.push(routeSubject(info, fn, route.object, method, route.path, alias));
    }
  }
  for (const cls of info.classes) subjects.push(classSubject(cls, alias));
  return subjects;
}

/** `pytest.importorskip` lines for modules the source imports that the interpreter does not have. */
export function missingImportSkips(info: PythonModule, module: string): string[] {
  const missing = new Set<string>();
  for (const imported of info.imports) {
    if (imported.toplevel && !imported.guarded && imported.level === 0 && imported.available === false) {
      missing.add(imported.module.split('.')[0] ?? imported.module);
    }
  }
  return [...missing].sort().map((name) => `pytest.importorskip(${py(name)}, reason=${py(`${module} imports ${name}, which is not installed`)})`);
}

/** Names the module binds at import time to modules with side effects (network, databases, mail). */
export function offlineNames(info: PythonModule): string[] {
  const names = new Set<string>();
  for (const imported of info.imports) {
    if (imported.side_effect && imported.toplevel && imported.available !== false) {
      for (const name of imported.names) names.add(name);
    }
  }
  return [...names].sort();
}

function moduleSubject(info: PythonModule, module: string, alias: string): Subject {
  const names = [...info.functions.map((f) => f.name), ...info.classes.map((c) => c.name), ...info.constants.map((c) => c.name)];
  const lines = [`assert ${alias}.__name__ == ${py(module)}`];
  if (names.length > 0) {
    lines.push(`for name in (${names.map(py).join(', ')}${names.length === 1 ? ',' : ''}):`);
    lines.push(`    assert hasattr(${alias}, name), ${py(`${module} has no `)} + name`);
  }
  return fixed('module', 'test', module, 'test_module_imports', lines);
}

function offlineSubject(name: string, alias: string): Subject {
  const text = [
    `${BLOCK_MARKER}offline ${name}`,
    '@pytest.fixture(autouse=True)',
    `def _offline_${snake(name)}(monkeypatch):`,
    `    """${name} has side effects (network, database, mail): a generated test that uses it fails instead."""`,
    '',
    '    class Offline:',
    '        def __getattr__(self, attr):',
    `            raise RuntimeError(${py(`${name} is replaced in generated tests; write a test with a fake ${name}`)})`,
    '',
    '        def __call__(self, *args, **kwargs):',
    '            self.__getattr__("__call__")',
    '',
    `    monkeypatch.setattr(${alias}, ${py(name)}, Offline())`,
  ].join('\n');
  return { key: `offline ${name}`, candidates: [], render: () => ({ test: undefined, kind: 'fixture', subject: name, text }) };
}

function functionSubject(fn: PythonFunction, alias: string): Subject {
  const key = `function ${fn.name}`;
  const test = `test_${fn.name}`;
  const typed = callArguments(fn.params, undefined);
  const candidates = typed !== undefined ? [typed] : GUESSES.map((guess) => callArguments(fn.params, guess) ?? '');
  const call = (args: string): string => (fn.async ? `asyncio.run(${alias}.${fn.name}(${args}))` : `${alias}.${fn.name}(${args})`);
  const prelude = fn.async ? ['import asyncio', ''] : [];
  return {
    key,
    candidates: candidates.filter((args) => args !== '' || fn.params.every(optional)).map(call),
    render: (outcome, probed) => {
      if (outcome === undefined) {
        if (typed === undefined || probed) return placeholder(key, test, fn.name, 'behaviour not inferred');
        const lines = [...prelude, `result = ${call(typed)}`];
        lines.push(fn.return_check ? `assert isinstance(result, ${fn.return_check})` : '# The call completes without raising.');
        return body(key, test, fn.name, lines);
      }
      if (outcome.ok && outcome.writes.length > 0) {
        return placeholder(key, test, fn.name, `the call writes files (${outcome.writes.join(', ')}); give it a path under tmp_path`);
      }
      if (outcome.ok) {
        const lines = [...prelude, `result = ${outcome.expression}`, ...resultAssertions(outcome, fn.return_check, !fn.nondeterministic)];
        return body(key, test, fn.name, lines);
      }
      if (outcome.exception_name === 'TimeLimit') {
        // Written as a test, it would hang the verification run and every run after.
        return placeholder(key, test, fn.name, 'the call did not finish within 5 seconds');
      }
      if (outcome.exception !== null && fn.raises.includes(outcome.exception_name)) {
        return body(key, test, fn.name, [...prelude, `with pytest.raises(${outcome.exception}):`, `    ${outcome.expression}`]);
      }
      // A call with the annotated types that raises: written as it is, so verification reports it.
      if (typed !== undefined) return body(key, test, fn.name, [...prelude, `result = ${outcome.expression}`]);
      return placeholder(key, test, fn.name, 'behaviour not inferred');
    },
  };
}

function classSubject(cls: PythonClass, alias: string): Subject {
  const key = `class ${cls.name}`;
  const test = `test_${cls.name}`;
  const typed = cls.init === null ? undefined : callArguments(cls.init, undefined);
  const guessed = cls.init === null ? [''] : GUESSES.map((guess) => callArguments(cls.init ?? [], guess) ?? '');
  const make = (args: string): string => `${alias}.${cls.name}(${args})`;
  const lines = (expression: string): string[] => {
    const out = [`instance = ${expression}`, `assert isinstance(instance, ${alias}.${cls.name})`];
    if (cls.methods.length > 0) {
      out.push(`for name in (${cls.methods.map(py).join(', ')}${cls.methods.length === 1 ? ',' : ''}):`);
      out.push(`    assert callable(getattr(instance, name)), name`);
    }
    if (cls.properties.length > 0) {
      out.push(`for name in (${cls.properties.map(py).join(', ')}${cls.properties.length === 1 ? ',' : ''}):`);
      out.push(`    assert hasattr(instance, name), name`);
    }
    return out;
  };
  return {
    key,
    candidates: (typed !== undefined ? [typed] : guessed).map(make),
    render: (outcome, probed) => {
      if (outcome?.ok && outcome.writes.length > 0) {
        return placeholder(key, test, cls.name, `construction writes files (${outcome.writes.join(', ')}); give it a path under tmp_path`);
      }
      if (outcome?.ok) return body(key, test, cls.name, lines(outcome.expression));
      if (outcome === undefined && !probed && typed !== undefined) return body(key, test, cls.name, lines(make(typed)));
      return placeholder(key, test, cls.name, 'construction not inferred');
    },
  };
}

function routeSubject(info: PythonModule, fn: PythonFunction, object: string, method: string, path: string, alias: string): Subject {
  const label = `${method} ${path}`;
  const key = `route ${label}`;
  const test = `test_${method.toLowerCase()}_${snake(path.replace(/[{<][^}>]*[}>]/g, 'id')) || 'root'}`;
  const kind = info.apps[object];
  const framework = kind === undefined ? undefined : WEB_MODULES[kind];
  const url = path.replace(/\{[^}]*\}|<[^>]*>/g, '1');
  const available = framework !== undefined && info.imports.some((i) => i.module.split('.')[0] === framework && i.available === true);
  const callable = method === 'GET' && (kind === 'FastAPI' || kind === 'Flask');
  const client = kind === 'FastAPI' ? `TestClient(${alias}.${object})` : `${alias}.${object}.test_client()`;
  const probeClient =
    kind === 'FastAPI' ? `__import__("fastapi.testclient", fromlist=["TestClient"]).TestClient(${alias}.${object})` : client;
  return {
    key,
    candidates: callable && available ? [`${probeClient}.get(${py(url)}).status_code`] : [],
    render: (outcome) => {
      if (!callable) return placeholder(key, test, label, `behaviour not inferred (${fn.name})`);
      if (!available) return placeholder(key, test, label, `${framework ?? 'its web framework'} is not installed`);
      const lines = kind === 'FastAPI' ? ['from fastapi.testclient import TestClient', ''] : [];
      lines.push(`response = ${client}.get(${py(url)})`);
      if (outcome?.ok && outcome.literal !== null) lines.push(`assert response.status_code == ${outcome.literal}`);
      else if (outcome !== undefined) return placeholder(key, test, label, `the request failed (${describe(outcome)})`);
      else lines.push('assert response.status_code < 500');
      return body(key, test, label, lines);
    },
  };
}

/** Assertions about a value the probe saw returned. */
function resultAssertions(outcome: ProbeOutcome & { ok: true }, returnCheck: string | null, pinValue: boolean): string[] {
  const lines: string[] = [];
  if (returnCheck !== null) lines.push(`assert isinstance(result, ${returnCheck})`);
  else if (outcome.type === 'type(None)') lines.push('assert result is None');
  else if (outcome.type !== null) lines.push(`assert isinstance(result, ${outcome.type})`);
  else lines.push(`assert type(result).__name__ == ${py(outcome.type_name)}`);
  if (pinValue && outcome.literal !== null && outcome.literal !== 'None') {
    if (outcome.literal === 'True' || outcome.literal === 'False') lines.push(`assert result is ${outcome.literal}`);
    else lines.push(outcome.approx ? `assert result == pytest.approx(${outcome.literal})` : `assert result == ${outcome.literal}`);
  }
  return lines;
}

/** Arguments for a call (Python source), or undefined when a required parameter has no value. */
function callArguments(params: readonly PythonParam[], guess: string | undefined): string | undefined {
  const args: string[] = [];
  for (const param of params) {
    if (optional(param)) continue;
    const value = param.example ?? guess;
    if (value === undefined) return undefined;
    args.push(param.kind === 'keyword_only' ? `${param.name}=${value}` : value);
  }
  return args.join(', ');
}

function optional(param: PythonParam): boolean {
  return param.default !== null || param.kind === 'var_positional' || param.kind === 'var_keyword';
}

function fixed(key: string, kind: 'test', subject: string, test: string, lines: string[]): Subject {
  return { key, candidates: [], render: () => ({ ...body(key, test, subject, lines), kind }) };
}

function body(key: string, test: string, subject: string, lines: string[]): Omit<Block, 'key'> {
  const indented = lines.map((line) => (line === '' ? '' : `    ${line}`));
  return { test, kind: 'test', subject, text: [`${BLOCK_MARKER}${key}`, `def ${test}():`, ...indented].join('\n') };
}

/** A visible gap: a skipped test naming what a person should write. */
export function placeholder(key: string, test: string, subject: string, why: string): Omit<Block, 'key'> {
  const text = [`${BLOCK_MARKER}${key}`, `def ${test}():`, `    pytest.skip(${py(`write a test for ${subject}: ${why}`)})`].join('\n');
  return { test, kind: 'todo', subject, text };
}

function describe(outcome: ProbeOutcome): string {
  return outcome.ok ? `returned ${outcome.type_name}` : `${outcome.exception_name}: ${outcome.message}`;
}

/** A Python string literal. */
export function py(value: string): string {
  // A JSON string is also a valid Python string literal.
  return JSON.stringify(value);
}

function snake(name: string): string {
  return name
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}
