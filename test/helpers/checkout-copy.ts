/**
 * A copy of this checkout in a temporary directory, as a fresh clone would
 * hold it: the files git does not ignore (tracked ones and new ones not yet
 * added), with node_modules linked to the checkout's. Tests that build or
 * pack the product work on it, so they never touch the checkout's own dist/
 * while other tests read it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Copy the checkout into a new directory under the OS temp dir (named `prefix`...) and return its real path. */
export function copyCheckout(prefix: string): string {
  const copy = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed in ${repoRoot}:\n${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    // node_modules may be a link git does not ignore (a shared install); it is linked below.
    if (file === 'node_modules') continue;
    const from = path.join(repoRoot, file);
    if (!fs.existsSync(from) || fs.statSync(from).isDirectory()) continue; // deleted but not yet committed, or a submodule
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.cpSync(from, path.join(copy, file), { verbatimSymlinks: true });
  }
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  return copy;
}
