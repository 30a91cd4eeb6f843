import { readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { fingerprint, readTree, tempTree } from './helpers.js';

describe('Workspace dry run', () => {
  it('leaves every file untouched while later views see earlier commits', async () => {
    const root = await tempTree({ 'a.txt': 'one\n', 'src/b.ts': 'export {};\n', 'gone.txt': 'bye\n' });
    const before = await fingerprint(root);
    const ws = await Workspace.open(root, { dryRun: true });

    const first = ws.view();
    await first.write('a.txt', 'two\n');
    await first.write('new/dir/c.txt', 'created\n');
    await first.remove('gone.txt');
    expect(await first.commit()).toHaveLength(3);

    const second = ws.view();
    expect(await second.read('a.txt')).toBe('two\n');
    expect(await second.read('new/dir/c.txt')).toBe('created\n');
    expect(await second.read('gone.txt')).toBeUndefined();
    expect(await second.exists('new/dir')).toBe(true);
    await second.write('a.txt', 'three\n');
    await second.commit();

    expect(await fingerprint(root)).toEqual(before);
    expect(ws.changes()).toEqual([
      { path: 'a.txt', before: 'one\n', after: 'three\n' },
      { path: 'gone.txt', before: 'bye\n', after: undefined },
      { path: 'new/dir/c.txt', before: undefined, after: 'created\n' },
    ]);
  });

  it('drops a file changed and changed back from the run changes', async () => {
    const root = await tempTree({ 'a.txt': 'one\n' });
    const ws = await Workspace.open(root, { dryRun: true });
    const first = ws.view();
    await first.write('a.txt', 'two\n');
    await first.commit();
    const second = ws.view();
    await second.write('a.txt', 'one\n');
    await second.commit();
    expect(ws.changes()).toEqual([]);
  });
});

describe('Workspace real run', () => {
  it('writes content, keeps the mode, creates parent dirs and leaves no temp files', async () => {
    const root = await tempTree({ 'run.sh': { content: '#!/bin/sh\necho hi\n', mode: 0o755 }, 'old.txt': 'x\n' });
    const ws = await Workspace.open(root, { dryRun: false });
    const view = ws.view();
    await view.write('run.sh', '#!/bin/sh\necho hello\n');
    await view.write('deep/er/new.txt', 'new\n');
    await view.remove('old.txt');
    const changes = await view.commit();

    expect(changes.map((c) => c.path)).toEqual(['deep/er/new.txt', 'old.txt', 'run.sh']);
    expect(await readTree(root)).toEqual({ 'deep/er/new.txt': 'new\n', 'run.sh': '#!/bin/sh\necho hello\n' });
    expect((await stat(path.join(root, 'run.sh'))).mode & 0o777).toBe(0o755);
    expect(Object.keys(await fingerprint(root)).sort()).toEqual(['deep', 'deep/er', 'deep/er/new.txt', 'run.sh']);
  });

  it('keeps CRLF line endings and a BOM when the handler writes LF without one', async () => {
    const root = await tempTree({ 'ci.yml': '\uFEFFa: 1\r\nb: 2\r\n', 'crlf.txt': 'x\r\ny' });
    const ws = await Workspace.open(root, { dryRun: false });
    const view = ws.view();
    await view.write('ci.yml', 'a: 1\nb: 3\n');
    await view.write('crlf.txt', 'x\ny\nz');
    await view.commit();
    expect(await readFile(path.join(root, 'ci.yml'), 'utf8')).toBe('\uFEFFa: 1\r\nb: 3\r\n');
    expect(await readFile(path.join(root, 'crlf.txt'), 'utf8')).toBe('x\r\ny\r\nz');
  });

  it('treats identical content as no change', async () => {
    const root = await tempTree({ 'a.txt': 'same\r\n' });
    const ws = await Workspace.open(root, { dryRun: false });
    const view = ws.view();
    await view.write('a.txt', 'same\n');
    expect(view.changes()).toEqual([]);
    expect(await view.commit()).toEqual([]);
    expect(ws.changes()).toEqual([]);
  });

  it('leaves nothing of a discarded view', async () => {
    const root = await tempTree({ 'a.txt': 'one\n' });
    const before = await fingerprint(root);
    const ws = await Workspace.open(root, { dryRun: false });
    const view = ws.view();
    await view.write('a.txt', 'two\n');
    await view.write('b/c.txt', 'new\n');
    view.discard();
    expect(await fingerprint(root)).toEqual(before);
    expect(await ws.view().read('a.txt')).toBe('one\n');
    expect(ws.changes()).toEqual([]);
  });

  it.each([false, true])('refuses the second of two parallel commits on one file (dryRun=%s)', async (dryRun) => {
    const root = await tempTree({ 'shared.json': '{}\n', 'other.txt': 'o\n' });
    const ws = await Workspace.open(root, { dryRun });
    const first = ws.view();
    const second = ws.view();
    await first.write('shared.json', '{"a":1}\n');
    expect(await second.read('shared.json')).toBe('{}\n');
    await second.write('shared.json', '{"b":1}\n');
    await second.write('other.txt', 'changed\n');
    await first.commit();

    const failure = second.commit();
    await expect(failure).rejects.toThrow(UserError);
    await expect(failure).rejects.toThrow(/"shared\.json" was changed by another task running at the same time/);
    second.discard();

    const expected = dryRun ? { 'other.txt': 'o\n', 'shared.json': '{}\n' } : { 'other.txt': 'o\n', 'shared.json': '{"a":1}\n' };
    expect(await readTree(root)).toEqual(expected);
    expect(ws.changes()).toEqual([{ path: 'shared.json', before: '{}\n', after: '{"a":1}\n' }]);
  });

  it('lets exactly one of two commits racing on the same file through', async () => {
    const root = await tempTree({ 'shared.json': '{}\n' });
    const ws = await Workspace.open(root, { dryRun: false });
    const views = [ws.view(), ws.view()];
    await Promise.all(views.map((v, i) => v.write('shared.json', `{"v":${i}}\n`)));
    const results = await Promise.allSettled(views.map((v) => v.commit()));
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const winner = results.findIndex((r) => r.status === 'fulfilled');
    expect(await readFile(path.join(root, 'shared.json'), 'utf8')).toBe(`{"v":${winner}}\n`);
  });

  it('restores the files already written when a later write of the same commit fails', async () => {
    const root = await tempTree({ 'a.txt': 'one\n' });
    const ws = await Workspace.open(root, { dryRun: false });
    const view = ws.view();
    await view.write('a.txt', 'two\n');
    await view.write('z/new.txt', 'new\n');
    // A file where the commit needs a directory makes the second write fail after the first.
    await writeFile(path.join(root, 'z'), 'in the way\n');
    await expect(view.commit()).rejects.toThrow(/Could not write "z\/new\.txt"/);
    expect(await readTree(root)).toEqual({ 'a.txt': 'one\n', z: 'in the way\n' });
    expect(ws.changes()).toEqual([]);
  });

  it('refuses a commit when the file changed on disk outside the run', async () => {
    const root = await tempTree({ 'a.txt': 'one\n' });
    const ws = await Workspace.open(root, { dryRun: false });
    const view = ws.view();
    await view.write('a.txt', 'two\n');
    await writeFile(path.join(root, 'a.txt'), 'edited\n');
    await expect(view.commit()).rejects.toThrow(/"a\.txt" was changed on disk/);
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('edited\n');
  });

  it('refuses writing where a directory is, and reading a directory', async () => {
    const root = await tempTree({ 'src/a.ts': '' });
    const ws = await Workspace.open(root, { dryRun: true });
    const view = ws.view();
    await expect(view.write('src', 'x')).rejects.toThrow(/"src" is a directory, so it cannot be written/);
    await expect(view.read('src')).rejects.toThrow(/"src" is a directory, so it cannot be read/);
    await expect(view.remove('src')).rejects.toThrow(/is a directory/);
    await expect(view.write('src/a.ts/x', 'x')).rejects.toThrow(/a parent of it is a file/);
    await view.write('gen/file.ts', 'x');
    await expect(view.write('gen', 'x')).rejects.toThrow(/"gen" is a directory/);
    expect(await view.exists('src')).toBe(true);
  });

  it('refuses a target root that does not exist', async () => {
    const root = await tempTree();
    await expect(Workspace.open(path.join(root, 'missing'), { dryRun: true })).rejects.toThrow(/does not exist/);
  });

  it('opens a root given through a symlink at its real path', async () => {
    const real = await tempTree({ 'a.txt': 'x' });
    const holder = await tempTree();
    await symlink(real, path.join(holder, 'link'));
    const ws = await Workspace.open(path.join(holder, 'link'), { dryRun: true });
    expect(ws.root).toBe(real);
    expect(ws.view().resolve('a.txt')).toBe(path.join(real, 'a.txt'));
  });
});
