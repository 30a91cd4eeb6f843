/**
 * What the target repository holds, for templates that describe it (the
 * `repo` built-in variable): its package.json scripts, shared test code
 * (fixtures, helpers, setup) with what each file exports, where tests live,
 * the coverage thresholds its Jest or Vitest config sets, its Python tests,
 * and the workflows that run tests. Read through the workspace, so a dry run
 * sees what earlier tasks would have written. Whatever is not found is left
 * empty, so that a template can leave it out instead of inventing it.
 */
import type { WorkspaceView } from '../workspace/types.js';

export interface SharedFile {
  path: string;
  /** Names the file exports (TS/JS) or defines as pytest fixtures (Python). */
  names: string[];
}

export interface RepositoryFacts {
  scripts: { name: string; command: string }[];
  /** package.json has a `test` script. */
  has_test_script: boolean;
  fixtures: SharedFile[];
  helpers: SharedFile[];
  setup: SharedFile[];
  /** All shared test code: fixtures, helpers, setup, and a conftest.py's fixtures. */
  shared: SharedFile[];
  tests: { beside_sources: boolean; integration: string | undefined; e2e: string | undefined; e2e_script: string | undefined; any: boolean };
  /** Global thresholds the test runner's config sets (`file` undefined when none). */
  coverage: { file: string | undefined; lines: number | undefined; branches: number | undefined; functions: number | undefined; statements: number | undefined };
  python: { found: boolean; dir: string; at_root: boolean; tests: string | undefined; conftest: SharedFile | undefined; requirements: string | undefined; pytest_cov: boolean };
  /** Workflows that run the tests. */
  ci: string[];
}

/** The facts of a repository that holds nothing: what a template sees where nothing is found. */
export function emptyRepositoryFacts(): RepositoryFacts {
  return {
    scripts: [],
    has_test_script: false,
    fixtures: [],
    helpers: [],
    setup: [],
    shared: [],
    tests: { beside_sources: false, integration: undefined, e2e: undefined, e2e_script: undefined, any: false },
    coverage: { file: undefined, lines: undefined, branches: undefined, functions: undefined, statements: undefined },
    python: { found: false, dir: '', at_root: false, tests: undefined, conftest: undefined, requirements: undefined, pytest_cov: false },
    ci: [],
  };
}

const SHARED = { fixtures: ['test/fixtures', 'tests/fixtures', '__fixtures__', 'test/__fixtures__'], helpers: ['test/helpers', 'tests/helpers', 'test/utils'], setup: ['test/setup', 'tests/setup'] };
const CODE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/** The facts of the repository behind `workspace`. */
export async function repositoryFacts(workspace: WorkspaceView): Promise<RepositoryFacts> {
  const manifest = parseJson(await workspace.read('package.json'));
  const scriptMap = isRecord(manifest?.scripts) ? manifest.scripts : {};
  const scripts = Object.entries(scriptMap).filter(([, command]) => typeof command === 'string').map(([name, command]) => ({ name, command: String(command) }));
  const shared = async (dirs: string[]) => {
    const files = (await Promise.all(dirs.map((dir) => workspace.list(dir)))).flat().filter((file) => CODE.test(file) && !/\.(test|spec)\./.test(file));
    return Promise.all(files.map(async (file) => ({ path: file, names: exportsOf((await workspace.read(file)) ?? '') })));
  };
  const sources = await workspace.list('src');
  const firstDir = async (dirs: string[]) => {
    for (const dir of dirs) if ((await workspace.list(dir)).length > 0) return dir;
    return undefined;
  };
  const fixtures = await shared(SHARED.fixtures);
  const helpers = await shared(SHARED.helpers);
  const setup = await shared(SHARED.setup);
  const python = await pythonFacts(workspace);
  const tests = {
    beside_sources: sources.some((file) => /(^|\/)__tests__\/|\.(test|spec)\.[^/]+$/.test(file)),
    integration: await firstDir(['test/integration', 'tests/integration']),
    e2e: await firstDir(['test/e2e', 'tests/e2e', 'e2e']),
    e2e_script: scripts.find((script) => /e2e/.test(script.name))?.name,
  };
  return {
    scripts,
    has_test_script: scripts.some((script) => script.name === 'test'),
    fixtures,
    helpers,
    setup,
    shared: [...fixtures, ...helpers, ...setup, ...(python.conftest === undefined ? [] : [python.conftest])],
    tests: { ...tests, any: tests.beside_sources || tests.integration !== undefined || tests.e2e !== undefined || python.tests !== undefined },
    coverage: (await coverageThresholds(workspace, manifest)) ?? emptyRepositoryFacts().coverage,
    python,
    ci: await testWorkflows(workspace, scriptMap),
  };
}

/** Names a TS/JS module exports: `export const|function|class|let|type|interface X`, `export { a, b }`. */
export function exportsOf(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(/^export\s+(?:default\s+)?(?:async\s+)?(?:const|let|var|function\*?|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm)) names.add(match[1]!);
  for (const match of text.matchAll(/^export\s*\{([^}]*)\}/gm)) {
    for (const part of match[1]!.split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop()?.trim();
      if (name) names.add(name);
    }
  }
  for (const match of text.matchAll(/^(?:module\.)?exports\.([A-Za-z_$][\w$]*)\s*=/gm)) names.add(match[1]!);
  return [...names];
}

async function coverageThresholds(workspace: WorkspaceView, manifest: Record<string, unknown> | undefined): Promise<RepositoryFacts['coverage'] | undefined> {
  const configs = ['vitest', 'vite', 'jest'].flatMap((name) => ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'].map((ext) => `${name}.config.${ext}`));
  for (const file of configs) {
    const text = await workspace.read(file);
    if (text === undefined) continue;
    const block = file.startsWith('jest') ? braced(text, /\bcoverageThreshold\s*:\s*\{/) : braced(text, /\bthresholds\s*:\s*\{/);
    if (block === undefined) continue;
    // Jest keeps the global figures under `global`; Vitest at the top of `thresholds`.
    const global = file.startsWith('jest') ? braced(block, /\bglobal\s*:\s*\{/) : topLevel(block);
    const figures = global === undefined ? {} : readFigures(global);
    if (Object.keys(figures).length > 0) return withFigures(file, figures);
  }
  const jest = isRecord(manifest?.jest) && isRecord(manifest.jest.coverageThreshold) ? manifest.jest.coverageThreshold.global : undefined;
  if (isRecord(jest)) {
    const figures = Object.fromEntries(['lines', 'branches', 'functions', 'statements'].filter((k) => typeof jest[k] === 'number').map((k) => [k, jest[k] as number]));
    if (Object.keys(figures).length > 0) return withFigures('package.json', figures);
  }
  return undefined;
}

function withFigures(file: string, figures: Record<string, number>): RepositoryFacts['coverage'] {
  return { file, lines: figures.lines, branches: figures.branches, functions: figures.functions, statements: figures.statements };
}

/** The text inside the braces that `opening` (ending in `{`) starts, or undefined. */
function braced(text: string, opening: RegExp): string | undefined {
  const match = opening.exec(text);
  if (match === null) return undefined;
  let depth = 1;
  for (let i = match.index + match[0].length; i < text.length; i += 1) {
    if (text[i] === '{') depth += 1;
    else if (text[i] === '}' && --depth === 0) return text.slice(match.index + match[0].length, i);
  }
  return undefined;
}

/** The text of a block without its nested blocks (a Vitest thresholds' per-glob entries). */
function topLevel(block: string): string {
  let out = '';
  let depth = 0;
  for (const char of block) {
    if (char === '{') depth += 1;
    else if (char === '}') depth -= 1;
    else if (depth === 0) out += char;
  }
  return out;
}

function readFigures(block: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of ['lines', 'branches', 'functions', 'statements']) {
    const match = new RegExp(`\\b${key}\\s*:\\s*(\\d+(?:\\.\\d+)?)`).exec(block);
    if (match) out[key] = Number(match[1]);
  }
  return out;
}

async function pythonFacts(workspace: WorkspaceView): Promise<RepositoryFacts['python']> {
  for (const dir of ['.', 'python', 'backend', 'app', 'service']) {
    const at = (file: string) => (dir === '.' ? file : `${dir}/${file}`);
    const markers = ['pyproject.toml', 'setup.py', 'requirements.txt', 'requirements-dev.txt', 'pytest.ini'];
    const present = [];
    for (const marker of markers) if ((await workspace.read(at(marker))) !== undefined) present.push(marker);
    if (present.length === 0) continue;
    const tests = (await workspace.list(at('tests'))).length > 0 ? at('tests') : (await workspace.list(at('test'))).filter((f) => f.endsWith('.py')).length > 0 ? at('test') : undefined;
    const conftestPath = tests !== undefined && (await workspace.read(`${tests}/conftest.py`)) !== undefined ? `${tests}/conftest.py` : (await workspace.read(at('conftest.py'))) !== undefined ? at('conftest.py') : undefined;
    const conftestText = conftestPath === undefined ? '' : ((await workspace.read(conftestPath)) ?? '');
    const requirements = present.find((marker) => marker.startsWith('requirements-dev')) ?? present.find((marker) => marker.startsWith('requirements'));
    const texts = await Promise.all(present.map(async (marker) => (await workspace.read(at(marker))) ?? ''));
    return {
      found: true,
      dir,
      at_root: dir === '.',
      tests,
      conftest: conftestPath === undefined ? undefined : { path: conftestPath, names: [...conftestText.matchAll(/@pytest\.fixture[^\n]*\n(?:@[^\n]*\n)*\s*(?:async\s+)?def\s+(\w+)/g)].map((m) => `${m[1]!} (pytest fixture)`) },
      requirements: requirements === undefined ? undefined : at(requirements),
      pytest_cov: texts.some((text) => /pytest-cov|pytest_cov/.test(text)),
    };
  }
  return emptyRepositoryFacts().python;
}

async function testWorkflows(workspace: WorkspaceView, scripts: Record<string, unknown>): Promise<string[]> {
  const files = (await workspace.list('.github/workflows')).filter((file) => /\.ya?ml$/.test(file));
  const out: string[] = [];
  for (const file of files) {
    const text = (await workspace.read(file)) ?? '';
    if (/\b(npm|pnpm|yarn|bun)( run)? test\b|\bpytest\b|\bjest\b|\bvitest\b/.test(text) || (typeof scripts.test === 'string' && text.includes(scripts.test))) out.push(file);
  }
  return out;
}

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
