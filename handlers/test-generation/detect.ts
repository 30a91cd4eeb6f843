/**
 * Which test framework and module style a target repository uses, read from
 * its package.json (dependencies, scripts, `"type"`) and the import style of
 * one of its own tests. A task's `framework:` overrides the detection.
 */
import { UserError } from '../../src/errors.js';

export interface TestStyle {
  framework: 'jest' | 'vitest';
  /** `"type": "module"` in package.json. */
  esm: boolean;
  /** Relative imports in tests end in `.js` (NodeNext style). */
  jsSuffix: boolean;
  /** Jest tests import their API from '@jest/globals'. */
  jestGlobals: boolean;
}

interface PackageJson {
  type?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** Detect the style from package.json text (or undefined) and an existing test's text (or undefined). */
export function detectStyle(packageJson: string | undefined, sampleTest: string | undefined, forced: 'jest' | 'vitest' | undefined): TestStyle {
  let pkg: PackageJson = {};
  if (packageJson !== undefined) {
    try {
      pkg = JSON.parse(packageJson) as PackageJson;
    } catch (error) {
      throw new UserError('package.json of the target is not valid JSON', {
        file: 'package.json',
        cause: error,
        retryable: false,
        hint: 'Fix package.json, or set `framework:` on the task.',
      });
    }
  }
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  const has = (name: string) => Object.hasOwn(deps, name);
  const testScript = pkg.scripts?.test ?? '';
  let framework = forced;
  if (framework === undefined) {
    const jest = has('jest') || has('ts-jest') || has('babel-jest') || has('@jest/globals') || /\bjest\b/.test(testScript);
    const vitest = has('vitest') || /\bvitest\b/.test(testScript);
    if (jest && vitest) framework = /\bvitest\b/.test(testScript) ? 'vitest' : 'jest';
    else if (jest) framework = 'jest';
    else if (vitest) framework = 'vitest';
  }
  if (framework === undefined) {
    throw new UserError('could not tell which test framework the target uses: package.json names neither jest nor vitest', {
      file: 'package.json',
      retryable: false,
      hint: 'Add jest or vitest to devDependencies, or set `framework: jest` or `framework: vitest` on the task.',
    });
  }
  const relativeImports = [...(sampleTest ?? '').matchAll(/from\s+['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1] ?? '');
  return {
    framework,
    esm: pkg.type === 'module',
    jsSuffix: relativeImports.length > 0 ? relativeImports.some((spec) => /\.[cm]?js$/.test(spec)) : false,
    jestGlobals: framework === 'jest' && /from\s+['"]@jest\/globals['"]/.test(sampleTest ?? ''),
  };
}
