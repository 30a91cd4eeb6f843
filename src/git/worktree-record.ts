/**
 * What the working tree looked like as orchestrate left it: each changed
 * path with the hash of its content, in `.orchestrate/worktree.json`,
 * written when a run ends and brought up to date each time a task finishes
 * (so a run killed half-way leaves its writes recorded). The clean-tree check
 * before the next run accepts a change whose content is still exactly what
 * orchestrate left (a command task's edits, a phase not committed yet) and
 * stops at anything a person changed since.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { statePaths } from '../state/paths.js';
import type { GitRepository } from './repository.js';

const FILE = 'worktree.json';

/** One changed path from `git status`, root-relative, with its porcelain code. */
export interface WorktreeChange {
  path: string;
  code: string;
}

/** The root's changed paths, leaving out `.orchestrate/`. */
export async function worktreeChanges(repo: GitRepository): Promise<WorktreeChange[]> {
  // No optional locks: a command task running git itself must never find the index locked by us.
  const text = await repo.git.raw(['--no-optional-locks', 'status', '--porcelain=v1', '-z', '--untracked-files=all', '--', repo.prefix || '.']);
  const entries = text.split('\0');
  const changes: WorktreeChange[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] ?? '';
    if (entry.length < 4) continue;
    const code = entry.slice(0, 2);
    if (code.startsWith('R') || code.startsWith('C')) i++; // the source path follows
    const file = entry.slice(3);
    const rootRelative = repo.prefix ? (file.startsWith(`${repo.prefix}/`) ? file.slice(repo.prefix.length + 1) : undefined) : file;
    if (rootRelative === undefined || rootRelative === '.orchestrate' || rootRelative.startsWith('.orchestrate/')) continue;
    changes.push({ path: rootRelative, code });
  }
  return changes;
}

/**
 * Content hashes of root-relative paths; `deleted` for a path that is not a
 * file. With `write`, the contents are also stored as blobs, to be read back later.
 */
export async function contentHashes(repo: GitRepository, files: string[], options: { write?: boolean } = {}): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  const present: string[] = [];
  for (const file of files) {
    if (statSync(path.join(repo.root, file), { throwIfNoEntry: false })?.isFile()) present.push(file);
    else hashes.set(file, 'deleted');
  }
  for (let at = 0; at < present.length; at += 200) {
    const batch = present.slice(at, at + 200);
    const out = (await repo.git.raw(['hash-object', ...(options.write ? ['-w'] : []), '--', ...batch.map((file) => path.join(repo.root, file))])).trim().split('\n');
    batch.forEach((file, i) => hashes.set(file, out[i] ?? ''));
  }
  return hashes;
}

/** Record the working tree's changes as orchestrate leaves them. */
export async function recordWorktree(repo: GitRepository): Promise<void> {
  const changes = await worktreeChanges(repo);
  const hashes = await contentHashes(repo, changes.map((change) => change.path));
  await writeRecord(repo.root, hashes);
}

/** Bring the record of `files` up to date (a task just wrote them), keeping the rest. */
export async function updateWorktreeRecord(repo: GitRepository, files: readonly string[]): Promise<void> {
  const record = readWorktreeRecord(repo.root).files;
  for (const [file, hash] of await contentHashes(repo, [...files])) record.set(file, hash);
  await writeRecord(repo.root, record);
}

/** What was recorded, and when (ms since the epoch; 0 when there is no readable record). */
export interface WorktreeRecord {
  files: Map<string, string>;
  updatedAt: number;
}

/** The recorded hashes, or an empty record when there is none (or it cannot be read). */
export function readWorktreeRecord(root: string): WorktreeRecord {
  try {
    const data = JSON.parse(readFileSync(path.join(statePaths(root).dir, FILE), 'utf8')) as { files?: Record<string, unknown>; updated_at?: unknown };
    const files = new Map(Object.entries(data.files ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    const updatedAt = typeof data.updated_at === 'string' ? Date.parse(data.updated_at) || 0 : 0;
    return { files, updatedAt };
  } catch {
    return { files: new Map(), updatedAt: 0 };
  }
}

async function writeRecord(root: string, files: Map<string, string>): Promise<void> {
  const file = path.join(statePaths(root).dir, FILE);
  mkdirSync(path.dirname(file), { recursive: true });
  const body = { version: 1, updated_at: new Date().toISOString(), files: Object.fromEntries(files) };
  await writeFileAtomic(file, `${JSON.stringify(body, null, 2)}\n`);
}
