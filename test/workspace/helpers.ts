/**
 * Temp-dir fixtures for the workspace tests: build a file tree, fingerprint a
 * whole tree (content, mode, symlink targets) to prove nothing moved, and
 * clean up after each test.
 */
import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, readlink, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

const created: string[] = [];

afterEach(async () => {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

export type TreeSpec = Record<string, string | { content: string; mode: number }>;

/** A fresh temp dir (removed after the test), optionally filled with files. */
export async function tempTree(files: TreeSpec = {}): Promise<string> {
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'orchestrate-ws-')));
  created.push(dir);
  for (const [name, spec] of Object.entries(files)) {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    const { content, mode } = typeof spec === 'string' ? { content: spec, mode: undefined } : spec;
    await writeFile(file, content);
    if (mode !== undefined) await chmod(file, mode);
  }
  return dir;
}

/** Every entry below `dir` with a fingerprint of its bytes, mode or link target. */
export async function fingerprint(dir: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  async function walk(relative: string): Promise<void> {
    for (const name of (await readdir(path.join(dir, relative))).sort()) {
      const rel = relative === '' ? name : `${relative}/${name}`;
      const full = path.join(dir, rel);
      const info = await lstat(full);
      const mode = (info.mode & 0o7777).toString(8);
      if (info.isSymbolicLink()) result[rel] = `link -> ${await readlink(full)}`;
      else if (info.isDirectory()) {
        result[rel] = `dir ${mode}`;
        await walk(rel);
      } else {
        const hash = createHash('sha256').update(await readFile(full)).digest('hex');
        result[rel] = `file ${mode} ${hash}`;
      }
    }
  }
  await walk('');
  return result;
}

/** Every file below `dir` (not directories), with its text. */
export async function readTree(dir: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const [rel, print] of Object.entries(await fingerprint(dir))) {
    if (print.startsWith('file ')) result[rel] = await readFile(path.join(dir, rel), 'utf8');
  }
  return result;
}
