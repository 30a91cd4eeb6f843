/**
 * The coverage gate (`coverage: true`) with Jest's built-in coverage: a
 * generated file that covers fewer of the source's lines than the test file
 * it would replace is not written.
 */
import { symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { installPackages, makeProject, read, runTask } from './harness.js';

const SOURCE = `export function grade(score: number): string {
  if (score >= 90) return 'A';
  if (score >= 75) return 'B';
  if (score >= 50) return 'C';
  return 'F';
}

export function unlock(code: string): boolean {
  if (code === ['x', 'yz'].join('')) {
    return true;
  }
  return false;
}
`;
// A person's test reaching every line, which the generated one cannot: no literal in the source leads to unlock's code word,
// and the test builds it rather than writing it (a literal argument in a test would be tried as an example).
const MINE = `import { grade, unlock } from '../grade';

it('grades', () => {
  expect([95, 80, 60, 10].map(grade)).toEqual(['A', 'B', 'C', 'F']);
  expect(unlock(['x', 'yz'].join(''))).toBe(true);
  expect(unlock('abc')).toBe(false);
});
`;

let root = '';
const cleanups: (() => void)[] = [];
beforeAll(async () => {
  const dir = await installPackages('jest-fastify', { jest: '30', 'ts-jest': '29', '@types/jest': '30', fastify: '5.12', 'light-my-request': '6.6.0' });
  const project = makeProject(
    {
      'package.json': JSON.stringify({ name: 'grades', private: true, devDependencies: { jest: '^30', 'ts-jest': '^29' } }),
      'jest.config.js': "module.exports = { preset: 'ts-jest', testEnvironment: 'node' };\n",
      'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, types: ['node', 'jest'] } }),
      'src/grade.ts': SOURCE,
      'src/__tests__/grade.test.ts': MINE,
      'src/other.ts': SOURCE,
    },
    os.tmpdir(),
  );
  symlinkSync(path.join(dir, 'node_modules'), path.join(project.root, 'node_modules'));
  root = project.root;
  cleanups.push(project.cleanup);
}, 300_000);
afterAll(() => cleanups.forEach((c) => c()));

it('keeps the test file that covers more lines, even with overwrite', async () => {
  const { outcome, logs } = await runTask(root, { target: 'src/grade.ts', test_file: '{dir}/__tests__/{name}.test.ts', overwrite: true, coverage: true });
  expect(outcome.status).toBe('unchanged');
  expect(outcome.summary).toMatch(/line coverage of src\/grade.ts would go down from 100% to \d+(\.\d+)?%; src\/__tests__\/grade.test.ts left as it is/);
  expect(await read(root, 'src/__tests__/grade.test.ts')).toBe(MINE);
  expect(logs.join('\n')).toMatch(/src\/grade.ts: line coverage 100% before, \d+(\.\d+)?% with the generated tests/);
}, 300_000);

it('writes the file when coverage does not go down', async () => {
  const { outcome, logs } = await runTask(root, { target: 'src/other.ts', test_file: '{dir}/__tests__/{name}.test.ts', coverage: true });
  expect(outcome.status).toBe('changed');
  expect(outcome.files).toEqual(['src/__tests__/other.test.ts']);
  expect(logs.join('\n')).toMatch(/src\/other.ts: line coverage 0% before, [1-9]\d*(\.\d+)?% with the generated tests/);
}, 300_000);
