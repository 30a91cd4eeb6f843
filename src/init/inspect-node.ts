/**
 * What `orchestrate init` reads of a repository's Node side: the package
 * manager from its lock file, TypeScript or JavaScript, ESM or CommonJS, the
 * test runner (Jest or Vitest) and its config file, the test script, and
 * whether coverage thresholds are configured. Reads files only; never runs
 * anything.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser/lib/esm/main.js';
import { nodeTestTargets } from './test-targets.js';

export interface NodeFacts {
  packageManager: 'npm' | 'pnpm' | 'yarn' | 'bun';
  /** The lock file the package manager was read from, if any. */
  lockFile: string | undefined;
  language: 'typescript' | 'javascript';
  moduleKind: 'esm' | 'commonjs';
  runner: 'jest' | 'vitest' | undefined;
  /** The runner's config file (relative), or `package.json` for a `jest` key. */
  runnerConfig: string | undefined;
  /** `scripts.test`, when there is one. */
  testScript: string | undefined;
  hasThresholds: boolean;
  /** Where the sources are: `src` when it exists, else the root. */
  sourceDir: string | undefined;
  /** Globs of the sources generated tests should cover (see test-targets.ts); empty when none were found. */
  testTargets: string[];
  /**
   * tsconfig.json compiles every .ts file of the package (no `include` or
   * `files`, emits) and the build is tsc's own or there is no build script:
   * a test file has no place the build leaves out.
   */
  buildTakesEveryFile: boolean;
}

const LOCK_FILES: readonly [string, NodeFacts['packageManager']][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lockb', 'bun'],
  ['bun.lock', 'bun'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];
const CONFIG_EXTENSIONS = ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'];

/** The Node facts of `root`, or undefined when it has no package.json. */
export function inspectNode(root: string): NodeFacts | undefined {
  const manifest = readJson(path.join(root, 'package.json'));
  if (manifest === undefined) return undefined;
  const deps = { ...record(manifest.dependencies), ...record(manifest.devDependencies) };
  const lock = LOCK_FILES.find(([file]) => fs.existsSync(path.join(root, file)));
  const declared = typeof manifest.packageManager === 'string' ? /^(npm|pnpm|yarn|bun)@/.exec(manifest.packageManager)?.[1] : undefined;
  const packageManager = (lock?.[1] ?? declared ?? 'npm') as NodeFacts['packageManager'];
  const configOf = (name: string) => CONFIG_EXTENSIONS.map((ext) => `${name}.config.${ext}`).find((file) => fs.existsSync(path.join(root, file)));
  const vitestConfig = configOf('vitest') ?? (Object.hasOwn(deps, 'vitest') ? configOf('vite') : undefined);
  const jestConfig = configOf('jest') ?? (typeof manifest.jest === 'object' && manifest.jest !== null ? 'package.json' : undefined);
  const runner = vitestConfig !== undefined || Object.hasOwn(deps, 'vitest') ? 'vitest' : jestConfig !== undefined || Object.hasOwn(deps, 'jest') ? 'jest' : undefined;
  const runnerConfig = runner === 'vitest' ? vitestConfig : runner === 'jest' ? jestConfig : undefined;
  const configText = runnerConfig === undefined ? '' : runnerConfig === 'package.json' ? JSON.stringify(manifest.jest) : read(path.join(root, runnerConfig));
  const scripts = record(manifest.scripts);
  const language = fs.existsSync(path.join(root, 'tsconfig.json')) || Object.hasOwn(deps, 'typescript') || /\.[mc]?ts$/.test(runnerConfig ?? '') ? 'typescript' : 'javascript';
  return {
    packageManager,
    lockFile: lock?.[0],
    language,
    moduleKind: manifest.type === 'module' ? 'esm' : 'commonjs',
    runner,
    runnerConfig,
    testScript: typeof scripts.test === 'string' ? scripts.test : undefined,
    hasThresholds: runner === 'vitest' ? /\bthresholds\s*:/.test(configText) : /coverageThreshold/.test(configText),
    sourceDir: isDirectory(path.join(root, 'src')) ? 'src' : undefined,
    testTargets: nodeTestTargets(root, language, manifest.files),
    buildTakesEveryFile: language === 'typescript' && buildTakesEveryFile(root, scripts.build),
  };
}

function buildTakesEveryFile(root: string, build: unknown): boolean {
  if (typeof build === 'string' && (!/\btsc\b/.test(build) || /(?:^|\s)(?:-p|--project|-b|--build)\s|tsconfig[\w.-]*\.json/.test(build))) return false;
  const text = read(path.join(root, 'tsconfig.json'));
  if (text === '') return false;
  const config = parseJsonc(text) as { include?: unknown; files?: unknown; extends?: unknown; compilerOptions?: { noEmit?: unknown } } | undefined;
  if (typeof config !== 'object' || config === null) return false;
  return config.include === undefined && config.files === undefined && config.extends === undefined && config.compilerOptions?.noEmit !== true;
}

/** The command that runs a script with this package manager (`npm test`, `pnpm run build`). */
export function scriptCommand(manager: NodeFacts['packageManager'], script: string): string {
  if (script === 'test') return `${manager} test`;
  return `${manager} run ${script}`;
}

export function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function read(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
