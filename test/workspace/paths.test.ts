import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { toKey } from '../../src/workspace/paths.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { fingerprint, tempTree } from './helpers.js';

/** A root with escape hatches: a file link, a directory link and a dangling link, all pointing outside. */
async function rootWithEscapes(): Promise<{ root: string; outside: string }> {
  const outside = await tempTree({ 'secret.txt': 'secret\n', 'dir/inner.txt': 'inner\n' });
  const root = await tempTree({ 'inside.txt': 'in\n' });
  await symlink(path.join(outside, 'secret.txt'), path.join(root, 'file-link'));
  await symlink(path.join(outside, 'dir'), path.join(root, 'dir-link'));
  await symlink(path.join(outside, 'not-yet.txt'), path.join(root, 'dangling'));
  await symlink('inside.txt', path.join(root, 'ok-link'));
  return { root, outside };
}

async function refusal(action: Promise<unknown>, shown: string): Promise<void> {
  const error: unknown = await action.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  expect((error as UserError).message).toBe(`"${shown}" is outside the target root`);
  expect((error as UserError).hint).toMatch(/relative to the target root/);
}

describe('paths outside the target root', () => {
  it.each(['../x', '/etc/passwd', 'a/../../x', '..', 'C:\\Windows\\x'])('refuses %s for read, write and remove', async (p) => {
    const root = await tempTree({ 'a.txt': 'a' });
    const ws = await Workspace.open(root, { dryRun: false });
    const view = ws.view();
    await refusal(view.read(p), p);
    await refusal(view.write(p, 'x'), p);
    await refusal(view.remove(p), p);
    expect(() => view.resolve(p)).toThrow(UserError);
  });

  it.each(['file-link', 'dir-link/inner.txt', 'dir-link/new.txt', 'dangling', 'dir-link'])(
    'refuses %s, which reaches outside through a symlink, and writes nothing',
    async (p) => {
      const { root, outside } = await rootWithEscapes();
      const before = await fingerprint(outside);
      const ws = await Workspace.open(root, { dryRun: false });
      const view = ws.view();
      await refusal(view.read(p), p);
      await refusal(view.exists(p), p);
      await refusal(view.write(p, 'pwned\n'), p);
      await refusal(view.remove(p), p);
      expect(() => view.resolve(p)).toThrow(/outside the target root/);
      await view.commit();
      expect(await fingerprint(outside)).toEqual(before);
    },
  );

  it('refuses at commit time a symlink planted after the task staged its write', async () => {
    const { root, outside } = await rootWithEscapes();
    const before = await fingerprint(outside);
    const ws = await Workspace.open(root, { dryRun: false });
    const view = ws.view();
    await view.write('later/file.txt', 'x\n');
    await symlink(outside, path.join(root, 'later'));
    await expect(view.commit()).rejects.toThrow(/outside the target root/);
    expect(await fingerprint(outside)).toEqual(before);
  });

  it('allows symlinks that stay inside the root', async () => {
    const { root } = await rootWithEscapes();
    await mkdir(path.join(root, 'real'));
    await writeFile(path.join(root, 'real/f.txt'), 'f\n');
    await symlink('real', path.join(root, 'alias'));
    const ws = await Workspace.open(root, { dryRun: false });
    const view = ws.view();
    expect(await view.read('ok-link')).toBe('in\n');
    expect(await view.read('alias/f.txt')).toBe('f\n');
    await view.write('ok-link', 'through the link\n');
    await view.commit();
    expect(await ws.view().read('inside.txt')).toBe('through the link\n');
  });
});

describe('toKey', () => {
  it('normalizes harmless paths to one key', () => {
    expect(toKey('./src//a/../b.ts')).toBe('src/b.ts');
    expect(toKey('dir/')).toBe('dir');
  });

  it.each(['', '.', 'a/..', 'nul\0byte'])('refuses %j as a file path', (p) => {
    expect(() => toKey(p)).toThrow(UserError);
  });
});
