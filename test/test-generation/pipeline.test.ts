/**
 * The test generation pipeline as a user meets it: a Vitest target guided by
 * coverage (each kept call reaches a branch the others do not), a class whose
 * behaviour shows only after a sequence of calls, a dry run of a JavaScript
 * target that shows no content a run would not write, and a task stopped in
 * its second batch that keeps the first batch's files and goes on from there
 * when run again, through the built CLI.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { makeProject, read, repoRoot, runTask } from './harness.js';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));
/** A project in the system's temp folder (Vitest leaves out test files under a node_modules path), its packages linked in. */
function project(files: Record<string, string>, type: 'module' | 'commonjs' = 'module') {
  const p = makeProject({ 'package.json': JSON.stringify({ name: 'sample', type, devDependencies: { vitest: '^4' } }), ...files }, mkdtempSync(path.join(os.tmpdir(), 'orchestrate-pipeline-')));
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(p.root, 'node_modules'));
  cleanups.push(p.cleanup);
  return p.root;
}

describe('a Vitest target', () => {
  it('keeps the calls that reach code no call before them reached, each branch pinned', async () => {
    const root = project({
      'src/grade.ts': `export function grade(score: number): string {
  if (score < 0) throw new RangeError('score cannot be negative');
  if (score >= 90) return 'A';
  if (score >= 50) return 'C';
  return 'F';
}
`,
    });
    const { outcome, logs } = await runTask(root, { target: 'src/grade.ts' });
    expect(outcome.summary).toMatch(/0 dropped/);
    expect(logs.join('\n')).toMatch(/src\/grade.ts: tried \d+ scenarios, kept \d+ that reach code nothing before them reached/);
    const text = await read(root, 'src/grade.test.ts');
    // Every branch has its pinned outcome; no test only says the export exists.
    expect(text).toMatch(/toThrow\("score cannot be negative"\)/);
    for (const letter of ['A', 'C', 'F']) expect(text).toContain(`expect(result).toBe("${letter}");`);
    expect(text).not.toMatch(/is a function/);
  }, 300_000);
});

describe('a class', () => {
  it('is tested through sequences of calls on one instance, the state they leave pinned', async () => {
    const root = project({
      'src/counter.ts': `export class Counter {
  private count = 0;
  constructor(private readonly step = 1) {
    if (step <= 0) throw new RangeError('step must be positive');
  }
  increment(): void {
    this.count += this.step;
  }
  value(): number {
    return this.count;
  }
  isEmpty(): boolean {
    return this.count === 0;
  }
}
`,
    });
    const { outcome } = await runTask(root, { target: 'src/counter.ts' });
    expect(outcome.summary).toMatch(/0 dropped/);
    const text = await read(root, 'src/counter.test.ts');
    // Only a call after increment() reaches isEmpty's false side; value() after increment() pins the sum.
    expect(text).toMatch(/instance\.increment\(\);\s*const result = instance\.isEmpty\(\);\s*expect\(result\)\.toBe\(false\);/);
    expect(text).toMatch(/instance\.increment\(\);\s*const result = instance\.value\(\);\s*expect\(result\)\.toBe\(1\);/);
    expect(text).toContain('toThrow("step must be positive")');
  }, 300_000);
});

describe('a dry run of a JavaScript target', () => {
  it('names the files a run would write and shows no content, TypeScript or other', async () => {
    const root = project({ 'lib/slug.js': "export function slug(text) {\n  return String(text).toLowerCase().replace(/\\s+/g, '-');\n}\n" });
    const { outcome, changes } = await runTask(root, { targets: 'lib/**/*.js' }, { dryRun: true });
    expect(outcome.summary).toMatch(/^would write tests for 1 source \(1 new file\); which tests are kept is decided when it runs/);
    expect(outcome.details).toEqual(['would write lib/slug.test.js']);
    expect(changes).toEqual([]);
    expect(existsSync(path.join(root, 'lib', 'slug.test.js'))).toBe(false);
    // The run writes JavaScript, with no TypeScript syntax in it.
    await runTask(root, { targets: 'lib/**/*.js' });
    const text = await read(root, 'lib/slug.test.js');
    expect(text).toMatch(/const result = subject\.slug\(.*\);\s*expect\(result\)\.toBe\(".*"\);/);
    expect(text).not.toMatch(/: unknown|as unknown|<[A-Z]\w*>/);
  }, 300_000);
});

describe('a task stopped in its second batch', () => {
  it('keeps the files of the batch it finished, and its next run goes on with the rest', async () => {
    const files: Record<string, string> = {};
    // Ten sources fill the first batch; the eleventh, in the second, never finishes loading.
    for (let i = 0; i < 10; i++) files[`src/m${String(i).padStart(2, '0')}.ts`] = `export function twice${i}(n: number): number {\n  return n * 2 + ${i};\n}\n`;
    files['src/m10.ts'] = 'while (Date.now() > 0) {}\nexport const never = 1;\n';
    files['plan.yaml'] = `version: 1
project: { name: sample }
phases:
  - id: 1
    name: Tests
    groups:
      - id: a
        name: Generated tests
        tasks:
          - { id: "1.1", name: generate, type: test_generation, targets: "src/**/*.ts", timeout: 100s, retries: 0 }
`;
    const root = project(files);
    execFileSync('git', ['init', '-q'], { cwd: root });
    execFileSync('git', ['add', '-A'], { cwd: root });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'sources'], { cwd: root });
    const first = await runCli(['run', '--all', '--yes', '--reporter', 'plain', '--config', 'plan.yaml', '--cwd', root], { cwd: root, timeoutMs: 300_000 });
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/1\.1 +test_generation 10\/11 sources/);
    for (let i = 0; i < 10; i++) expect(existsSync(path.join(root, `src/m${String(i).padStart(2, '0')}.test.ts`))).toBe(true);
    const kept = await read(root, 'src/m03.test.ts');
    expect(kept).toContain('subject.twice3(');

    // The module is fixed; the next run leaves the ten files as they are and writes the eleventh.
    writeFileSync(path.join(root, 'src/m10.ts'), 'export function never(n: number): number {\n  return n > 1 ? n : 1;\n}\n');
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'fix', 'src/m10.ts'], { cwd: root });
    // The files the stopped run kept are its own: they do not make the tree dirty for the next run.
    const second = await runCli(['run', '--all', '--yes', '--reporter', 'plain', '--verbose', '--config', 'plan.yaml', '--cwd', root], { cwd: root, timeoutMs: 300_000 });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toMatch(/wrote src\/m10\.test\.ts/);
    expect(await read(root, 'src/m03.test.ts')).toBe(kept);
  }, 600_000);
});
