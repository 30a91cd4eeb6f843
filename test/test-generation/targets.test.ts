/** Where tests go and which sources a glob names: pure functions of the handler. */
import { describe, expect, it } from 'vitest';
import { detectStyle } from '../../handlers/test-generation/detect.js';
import { importSpecifier } from '../../handlers/test-generation/generate-ts.js';
import { conventionalTests, globToRegExp, testFileFor } from '../../handlers/test-generation/targets.js';
import { candidateName } from '../../handlers/test-generation/verify.js';

describe('test_file patterns', () => {
  it('expands {dir}, {name} and {ext}', () => {
    expect(testFileFor('{dir}/__tests__/{name}.test.ts', 'src/services/users.service.ts')).toBe('src/services/__tests__/users.service.test.ts');
    expect(testFileFor('test/integration/routes/{name}.test.{ext}', 'src/routes/users.routes.ts')).toBe('test/integration/routes/users.routes.test.ts');
    expect(testFileFor('tests/test_{name}.py', 'app/scoring.py')).toBe('tests/test_scoring.py');
  });

  it('puts a root-level source next to itself, not at the file system root', () => {
    expect(testFileFor('{dir}/__tests__/{name}.test.ts', 'index.ts')).toBe('__tests__/index.test.ts');
  });

  it('refuses patterns that leave the root, however they are written', () => {
    expect(() => testFileFor('../{name}.test.ts', 'src/a.ts')).toThrow(/outside the target root/);
    expect(() => testFileFor('{dir}/../../../{name}.test.ts', 'src/a.ts')).toThrow(/outside the target root/);
    expect(() => testFileFor('/tmp/{name}.test.ts', 'src/a.ts')).toThrow(/outside the target root/);
  });
});

describe('globs', () => {
  it('match like the shell globs people write', () => {
    const re = globToRegExp('src/**/*.ts');
    expect(re.test('src/a.ts')).toBe(true);
    expect(re.test('src/deep/er/a.ts')).toBe(true);
    expect(re.test('lib/a.ts')).toBe(false);
    expect(re.test('src/a.tsx')).toBe(false);
    expect(globToRegExp('src/*.{ts,js}').test('src/a.js')).toBe(true);
    expect(globToRegExp('src/*.{ts,js}').test('src/x/a.js')).toBe(false);
    expect(globToRegExp('src/?.ts').test('src/ab.ts')).toBe(false);
  });
});

describe('conventions', () => {
  it('knows the usual places of a test beside its source', () => {
    const places = conventionalTests('src/users.ts');
    expect(places).toContain('src/users.test.ts');
    expect(places).toContain('src/users.spec.js');
    expect(places).toContain('src/__tests__/users.test.ts');
  });

  it('names the candidate so the runner still takes it for a test', () => {
    expect(candidateName('users.test.ts')).toMatch(/^users\.orchestrate-verify-[0-9a-f]{8}\.test\.ts$/);
    expect(candidateName('users.ts')).toMatch(/^users\.orchestrate-verify-[0-9a-f]{8}\.test\.ts$/);
  });
});

describe('framework and import style', () => {
  it('reads jest or vitest from package.json, and the test script breaks a tie', () => {
    expect(detectStyle('{"devDependencies":{"ts-jest":"29"}}', undefined, undefined).framework).toBe('jest');
    expect(detectStyle('{"devDependencies":{"vitest":"4"}}', undefined, undefined).framework).toBe('vitest');
    expect(detectStyle('{"devDependencies":{"vitest":"4","jest":"30"},"scripts":{"test":"vitest run"}}', undefined, undefined).framework).toBe('vitest');
    expect(detectStyle('{"devDependencies":{"vitest":"4"}}', undefined, 'jest').framework).toBe('jest');
  });

  it('copies the .js suffix and @jest/globals from the target own tests', () => {
    const style = detectStyle('{"type":"module","devDependencies":{"jest":"30"}}', "import { it } from '@jest/globals';\nimport { a } from '../src/a.js';\n", undefined);
    expect(style).toEqual({ framework: 'jest', esm: true, jsSuffix: true, jestGlobals: true });
    expect(importSpecifier('test/a.test.ts', 'src/a.ts', style)).toBe('../src/a.js');
    expect(importSpecifier('src/__tests__/a.test.ts', 'src/a.ts', { ...style, jsSuffix: false })).toBe('../a');
  });

  it('says what to do when package.json is not JSON', () => {
    expect(() => detectStyle('{ nope', undefined, undefined)).toThrow(/package.json of the target is not valid JSON/);
  });
});
