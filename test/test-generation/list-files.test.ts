/**
 * Which files a task finds (`listFiles`): a real run's tasks see what earlier
 * tasks wrote; a dry run, which writes nothing, lists each set of globs once
 * for all of its tasks.
 */
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFiles } from '../../handlers/test-generation/targets.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { tempTree } from '../workspace/helpers.js';

async function gitTree(files: Record<string, string>): Promise<string> {
  const root = await tempTree(files);
  execFileSync('git', ['init', '-q'], { cwd: root });
  return root;
}

describe('listFiles with a task workspace', () => {
  it('in a real run, sees the file an earlier task wrote', async () => {
    const root = await gitTree({ 'src/a.ts': 'export const a = 1;\n' });
    const ws = await Workspace.open(root, { dryRun: false });
    const first = ws.view();
    expect(await listFiles(ws.root, ['src/**'], first)).toEqual(['src/a.ts']);
    await first.write('src/b.ts', 'export const b = 2;\n');
    await first.commit();
    const second = ws.view();
    expect((await listFiles(ws.root, ['src/**'], second)).sort()).toEqual(['src/a.ts', 'src/b.ts']);
  });

  it('in a dry run, lists once for every task of the run, and afresh for the next run', async () => {
    const root = await gitTree({ 'src/a.ts': 'export const a = 1;\n' });
    const ws = await Workspace.open(root, { dryRun: true });
    expect(await listFiles(ws.root, ['src/**'], ws.view())).toEqual(['src/a.ts']);
    // Nothing of a dry run reaches the disk; a file appearing there meanwhile shows that the listing is shared.
    await writeFile(path.join(root, 'src', 'c.ts'), 'export const c = 3;\n');
    expect(await listFiles(ws.root, ['src/**'], ws.view())).toEqual(['src/a.ts']);
    expect((await listFiles(ws.root, ['src/**', 'other/**'], ws.view())).sort()).toEqual(['src/a.ts', 'src/c.ts']);
    const next = await Workspace.open(root, { dryRun: true });
    expect((await listFiles(next.root, ['src/**'], next.view())).sort()).toEqual(['src/a.ts', 'src/c.ts']);
  });

  it('in a dry run of a root its enclosing repository ignores, walks the tree for every set of globs', async () => {
    const outer = await gitTree({ '.gitignore': 'inner/\n', 'inner/.gitignore': 'src/gen.ts\n', 'inner/src/a.ts': 'export const a = 1;\n', 'inner/src/gen.ts': 'export const g = 1;\n', 'inner/test/a.test.ts': '\n' });
    const ws = await Workspace.open(path.join(outer, 'inner'), { dryRun: true });
    // git would leave out src/gen.ts (the root's own .gitignore); the walk of a root without a git view of its own lists it.
    expect((await listFiles(ws.root, ['src/**'], ws.view())).sort()).toEqual(['src/a.ts', 'src/gen.ts']);
    expect(await listFiles(ws.root, ['test/**'], ws.view())).toEqual(['test/a.test.ts']);
  });

  it('in a dry run of a root with a git view of its own, asks git for every set of globs', async () => {
    const root = await gitTree({ '.gitignore': 'src/gen.ts\n', 'src/a.ts': 'export const a = 1;\n', 'src/gen.ts': 'export const g = 1;\n', 'test/a.test.ts': '\n' });
    const ws = await Workspace.open(root, { dryRun: true });
    expect(await listFiles(ws.root, ['src/**'], ws.view())).toEqual(['src/a.ts']);
    expect(await listFiles(ws.root, ['test/**'], ws.view())).toEqual(['test/a.test.ts']);
  });
});
