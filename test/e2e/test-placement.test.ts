/**
 * Where the real CLI writes a generated test when the plan names no
 * test_file: a repository whose tests live in src/__tests__/ as *.test.ts
 * but whose tsconfig.json includes src and excludes only *.spec.ts, so a
 * test there would be compiled into the build. The test must land in a
 * place the build leaves out, and the run must say so; a test_file the
 * plan names is kept, with a warning.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, runCli, type PlanInput } from '../helpers/plans.js';

const FILES = {
  'package.json': JSON.stringify({ name: 'calc', private: true, scripts: { build: 'tsc', test: 'vitest run' }, devDependencies: { typescript: '5.9', vitest: '4' } }, null, 2),
  'tsconfig.json': JSON.stringify({ compilerOptions: { outDir: 'dist', strict: true }, include: ['src'], exclude: ['**/*.spec.ts'] }, null, 2),
  'src/math.ts': 'export function add(a: number, b: number): number {\n  return a + b;\n}\n',
  'src/format.ts': "export const unit = 'cm';\n",
  'src/__tests__/format.test.ts': "import { expect, it } from 'vitest';\nimport { unit } from '../format';\n\nit('is cm', () => {\n  expect(unit).toBe('cm');\n});\n",
};

const plan = (task: Record<string, unknown>): PlanInput => ({
  phases: [{ id: '2', name: 'tests', groups: [{ id: 'a', tasks: [{ id: '2.1', name: 'math tests', type: 'test_generation', target: 'src/math.ts', verify: false, ...task }] }] }],
});

describe('a generated test and the build', () => {
  it('goes to a test/ folder outside tsconfig’s include instead of src/__tests__/, and the run says why', async () => {
    const repo = makeRepo(plan({}), FILES);
    const result = await runCli(repo, ['run', '--all', '--reporter', 'plain', '--verbose'], { timeoutMs: 240_000 });
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(fs.existsSync(path.join(repo.dir, 'src/__tests__/math.test.ts'))).toBe(false);
    const written = fs.readFileSync(path.join(repo.dir, 'test/math.test.ts'), 'utf8');
    expect(written).toMatch(/from ["']\.\.\/src\/math["']/);
    expect(result.stdout).toContain('tests go to test/{dir:src}/{name}.test.{ext}');
    expect(result.stdout).toContain('where the build would take them in (src/__tests__/math.test.ts: tsconfig.json would compile it into the build (include "src"');
    expect(result.stdout).toMatch(/wrote test\/math\.test\.ts/);
  }, 300_000);

  it('keeps a test_file the plan names, and warns that the build would compile it', async () => {
    const repo = makeRepo(plan({ test_file: '{dir}/__tests__/{name}.test.ts' }), FILES);
    const result = await runCli(repo, ['run', '--all', '--reporter', 'plain', '--verbose'], { timeoutMs: 240_000 });
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(fs.existsSync(path.join(repo.dir, 'src/__tests__/math.test.ts'))).toBe(true);
    expect(result.stdout).toContain('warning: test_file puts src/__tests__/math.test.ts where the build takes it in: tsconfig.json would compile it');
  }, 300_000);
});
