/**
 * Where generated tests go without a `test_file`: real temporary
 * repositories built from inline file trees, one per convention (beside,
 * __tests__/, a test/ or tests/ tree mirroring src/, *.spec vs *.test,
 * .ts tests of .js sources, .mjs), and per way a build takes files in
 * (tsconfig include/exclude/files, a tsconfig.build.json the build script
 * names, package.json files).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readBuildInputs } from '../../handlers/test-generation/build-exposure.js';
import { chooseTestPattern, exposureWarnings } from '../../handlers/test-generation/placement.js';
import { conventionalTests, testFileFor } from '../../handlers/test-generation/targets.js';
import { UserError } from '../../src/errors.js';
import { Workspace } from '../../src/workspace/workspace.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const TEST = (name: string) => `import { it } from 'vitest';\nit('${name}', () => {});\n`;
const SRC = 'export const x = 1;\n';

async function repo(files: Record<string, string>) {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-place-')));
  made.push(root);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  const workspace = (await Workspace.open(root, { dryRun: true })).view();
  return { root: workspace.root, workspace };
}

/** Where the test of each source goes in a repository of `files`. */
async function placed(files: Record<string, string>, sources: string[]): Promise<{ files: string[]; reason: string }> {
  const ctx = await repo(files);
  const chosen = await chooseTestPattern(ctx, sources);
  return { files: sources.map((s) => testFileFor(chosen.pattern, s)), reason: chosen.reason };
}

describe('the {dir:P} placeholder', () => {
  it('gives the source’s folder below P, and refuses a source outside P', () => {
    expect(testFileFor('test/{dir:src}/{name}.test.ts', 'src/a/b.ts')).toBe('test/a/b.test.ts');
    expect(testFileFor('test/{dir:src}/{name}.test.ts', 'src/b.ts')).toBe('test/b.test.ts');
    expect(() => testFileFor('test/{dir:src}/{name}.test.ts', 'lib/b.ts')).toThrow(/mirrors src\/, but lib\/b\.ts is not in it/);
  });
});

describe('a test a person wrote', () => {
  it('is looked for in a test/ or tests/ tree mirroring the source’s folder too (only_untested)', () => {
    const places = conventionalTests('src/a/b.ts');
    expect(places).toEqual(expect.arrayContaining(['test/a/b.test.ts', 'tests/a/b.spec.js', 'src/a/__tests__/b.test.ts']));
    expect(conventionalTests('src/b.ts')).toContain('test/b.test.ts');
  });
});

describe('following the repository’s tests', () => {
  it('puts a test beside its source, as *.spec.ts when the repository names them so', async () => {
    const result = await placed({ 'package.json': '{}', 'src/a.ts': SRC, 'src/a.spec.ts': TEST('a'), 'src/util/b.ts': SRC, 'src/util/b.spec.ts': TEST('b'), 'src/c.ts': SRC }, ['src/c.ts']);
    expect(result.files).toEqual(['src/c.spec.ts']);
    expect(result.reason).toContain('as 2 of the 2 tests here are: beside the source, *.spec.*');
  });

  it('mirrors src/ in test/', async () => {
    const result = await placed({ 'package.json': '{}', 'src/a.ts': SRC, 'src/deep/b.ts': SRC, 'test/a.test.ts': TEST('a'), 'test/deep/b.test.ts': TEST('b'), 'src/deep/er/c.ts': SRC }, ['src/deep/er/c.ts']);
    expect(result.files).toEqual(['test/deep/er/c.test.ts']);
  });

  it('mirrors lib/ in tests/, in a package of a monorepo', async () => {
    const result = await placed(
      { 'package.json': '{}', 'packages/core/package.json': '{}', 'packages/core/lib/a.js': SRC, 'packages/core/tests/a.spec.js': TEST('a'), 'packages/core/lib/x/b.js': SRC },
      ['packages/core/lib/x/b.js'],
    );
    expect(result.files).toEqual(['packages/core/tests/x/b.spec.js']);
  });

  it('uses __tests__/ beside the source when the repository does (compiled copies in dist/ do not count)', async () => {
    const compiled = { 'dist/a.test.js': TEST('a'), 'dist/lib/b.test.js': TEST('b'), 'dist/lib/c.test.js': TEST('c') };
    const result = await placed({ 'src/a.ts': SRC, 'src/__tests__/a.test.ts': TEST('a'), 'src/lib/b.tsx': SRC, 'src/lib/__tests__/b.test.tsx': TEST('b'), 'src/lib/c.ts': SRC, ...compiled }, ['src/lib/c.ts']);
    expect(result.files).toEqual(['src/lib/__tests__/c.test.ts']);
  });

  it('writes .ts tests for .js sources when the repository does', async () => {
    const result = await placed({ 'src/a.js': SRC, 'src/a.test.ts': TEST('a'), 'src/b.js': SRC, 'src/b.test.ts': TEST('b'), 'src/c.js': SRC }, ['src/c.js']);
    expect(result.files).toEqual(['src/c.test.ts']);
  });

  it('keeps .mjs for the tests of .mjs sources when the repository does', async () => {
    const result = await placed({ 'lib/a.mjs': SRC, 'lib/a.test.mjs': TEST('a'), 'lib/b.mjs': SRC, 'lib/b.test.js': TEST('b'), 'lib/x/c.mjs': SRC, 'lib/x/c.test.mjs': TEST('c'), 'lib/d.mjs': SRC }, ['lib/d.mjs']);
    expect(result.files).toEqual(['lib/d.test.mjs']);
  });

  it('writes .js tests for .mjs sources when the repository does, and never .cjs tests (a generated test imports)', async () => {
    const mjs = await placed({ 'lib/a.mjs': SRC, 'lib/a.test.js': TEST('a'), 'lib/d.mjs': SRC }, ['lib/d.mjs']);
    expect(mjs.files).toEqual(['lib/d.test.js']);
    const cjs = await placed({ 'lib/b.cjs': SRC, 'lib/b.test.cjs': TEST('b'), 'lib/d.cjs': SRC }, ['lib/d.cjs']);
    expect(cjs.files).toEqual(['lib/d.test.js']);
  });

  it('does not follow the tests it generated itself, and falls back to {dir}/{name}.test.{ext} when there are no others', async () => {
    const generated = '// Generated by orchestrate test_generation from src/a.ts. Running the task again adds blocks.\n';
    const result = await placed({ 'src/a.ts': SRC, 'src/__tests__/a.test.ts': generated, 'src/b.js': SRC }, ['src/b.js']);
    expect(result.files).toEqual(['src/b.test.js']);
    expect(result.reason).toContain('no tests to follow');
  });
});

describe('keeping tests out of the build', () => {
  it('moves tests out of __tests__/ when tsconfig excludes only *.spec.ts, so __tests__/*.test.ts would be compiled', async () => {
    const result = await placed(
      {
        'package.json': JSON.stringify({ scripts: { build: 'tsc' } }),
        'tsconfig.json': '{\n  // the build\n  "compilerOptions": { "outDir": "dist" },\n  "include": ["src"],\n  "exclude": ["**/*.spec.ts"],\n}\n',
        'src/a.ts': SRC,
        'src/__tests__/a.test.ts': TEST('a'),
        'src/b.ts': SRC,
      },
      ['src/b.ts'],
    );
    expect(result.files).toEqual(['test/b.test.ts']);
    expect(result.reason).toMatch(/not \{dir\}\/__tests__\/\{name\}\.test\.\{ext\}, where the build would take them in \(src\/__tests__\/b\.test\.ts: tsconfig\.json would compile it into the build \(include "src"/);
  });

  it('leaves tests where the repository keeps them when the build script compiles a tsconfig.build.json that excludes them', async () => {
    const result = await placed(
      {
        'package.json': JSON.stringify({ scripts: { build: 'tsc -p tsconfig.build.json' } }),
        'tsconfig.json': JSON.stringify({ include: ['src'] }),
        'tsconfig.build.json': JSON.stringify({ extends: './tsconfig.json', exclude: ['src/**/__tests__'] }),
        'src/a.ts': SRC,
        'src/__tests__/a.test.ts': TEST('a'),
        'src/b.ts': SRC,
      },
      ['src/b.ts'],
    );
    expect(result.files).toEqual(['src/__tests__/b.test.ts']);
  });

  it('moves tests that package.json files would publish', async () => {
    const result = await placed(
      { 'package.json': JSON.stringify({ files: ['src', '!src/**/*.spec.js'] }), 'src/a.js': SRC, 'src/a.test.js': TEST('a'), 'src/b.js': SRC },
      ['src/b.js'],
    );
    expect(result.files).toEqual(['test/b.test.js']);
  });

  it('fails, saying what to set, when every conventional place is built', async () => {
    const ctx = await repo({ 'tsconfig.json': JSON.stringify({ compilerOptions: { outDir: 'out' } }), 'src/a.ts': SRC });
    const error = await chooseTestPattern(ctx, ['src/a.ts']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/every conventional place for the tests of src\/a\.ts is part of the build:\n {2}\{dir\}\/\{name\}\.test\.\{ext\}: src\/a\.test\.ts: tsconfig\.json would compile it/);
    expect((error as UserError).hint).toContain('Set test_file');
  });

  it('warns about a test_file the plan names when the build would compile it, and keeps it', async () => {
    const ctx = await repo({ 'tsconfig.json': JSON.stringify({ include: ['src/**/*'] }), 'src/a.ts': SRC });
    const warnings = await exposureWarnings(ctx, '{dir}/__tests__/{name}.test.ts', ['src/a.ts']);
    expect(warnings).toEqual([expect.stringMatching(/^warning: test_file puts src\/__tests__\/a\.test\.ts where the build takes it in: tsconfig\.json would compile it/)]);
    expect(await exposureWarnings(ctx, 'test/{name}.test.ts', ['src/a.ts'])).toEqual([]);
  });

  it('reads tsconfig files, allowJs and noEmit as TypeScript does', async () => {
    const ctx = await repo({
      'tsconfig.json': JSON.stringify({ compilerOptions: { allowJs: true }, files: ['src/index.js'] }),
      'packages/x/package.json': JSON.stringify({ scripts: { build: 'tsc' } }),
      'packages/x/tsconfig.json': JSON.stringify({ compilerOptions: { noEmit: true } }),
    });
    const rootBuild = await readBuildInputs(ctx.workspace, '');
    expect(rootBuild.exposes('src/index.js')).toContain('lists it in "files"');
    expect(rootBuild.exposes('src/other.js')).toBeUndefined();
    expect((await readBuildInputs(ctx.workspace, 'packages/x')).exposes('packages/x/a.test.ts')).toBeUndefined();
  });
});
