/**
 * The git-based change tracker: a command task's changes are the paths whose
 * content differs between `git status` (with content hashes) taken before and
 * after it. Contents are stored as blobs (`hash-object -w`), so the content a
 * file had before the task can be read back for the recap's diffstat.
 *
 * While a task runs, its starting picture is kept in
 * `.orchestrate/pending/<task>.json`, so that a run killed in the middle of a
 * command (kill -9, a reboot) leaves behind which files that command may have
 * written: the next run's clean-tree check counts them as orchestrate's.
 */
import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { ChangeTracker } from '../engine/change-tracker.js';
import { statePaths } from '../state/paths.js';
import type { FileChange } from '../workspace/types.js';
import { repoPath, type GitRepository } from './repository.js';
import { contentHashes, worktreeChanges } from './worktree-record.js';

/** Larger files are credited to the task but not read for the diffstat. */
const DIFFABLE_BYTES = 1 << 20;

/** Changed path -> content hash (`deleted` for a removed file). Paths not in it are as in HEAD. */
export type TreePicture = Map<string, string>;

interface PendingRecord {
  version: 1;
  taskId: string;
  startedAt: string;
  before: Record<string, string>;
}

/** The working tree's changes against HEAD with their content hashes (blobs written to the object store). */
export async function pictureTree(repo: GitRepository): Promise<TreePicture> {
  const changes = await worktreeChanges(repo);
  return contentHashes(repo, changes.map((change) => change.path), { write: true });
}

/** Paths whose content differs between two pictures. */
export function changedPaths(before: TreePicture, after: TreePicture): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((file) => before.get(file) !== after.get(file)).sort();
}

/** A tracker for the repository at `repo.root`; the pending records live under its `.orchestrate/`. */
export function gitChangeTracker(repo: GitRepository): ChangeTracker {
  return {
    async begin(taskId) {
      try {
        return await observe(repo, taskId);
      } catch {
        return async () => []; // a tree git cannot read (a broken index): the task runs unobserved
      }
    },
  };
}

async function observe(repo: GitRepository, taskId: string): Promise<() => Promise<FileChange[]>> {
  const file = pendingFile(repo.root, taskId);
  // A record left by a run that was killed during this task keeps its older starting point:
  // what that run wrote is this task's too.
  const left = readPending(file);
  const before = left ? new Map(Object.entries(left.before)) : await pictureTree(repo);
  if (!left) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const record: PendingRecord = { version: 1, taskId, startedAt: new Date().toISOString(), before: Object.fromEntries(before) };
    await writeFileAtomic(file, `${JSON.stringify(record)}\n`);
  }
  return async () => {
    let changes: FileChange[] = [];
    try {
      const after = await pictureTree(repo);
      for (const changed of changedPaths(before, after)) changes.push(await describeChange(repo, changed, before.get(changed)));
    } catch {
      changes = [];
    }
    fs.rmSync(file, { force: true });
    return changes;
  };
}

/** Paths the pending records of killed runs say their commands may have written: those changed since each started. */
export async function pendingWrites(repo: GitRepository, candidates: readonly string[]): Promise<Set<string>> {
  const dir = path.join(statePaths(repo.root).dir, 'pending');
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return new Set();
  }
  const records = names.map((name) => readPending(path.join(dir, name))).filter((record): record is PendingRecord => record !== undefined);
  if (records.length === 0) return new Set();
  const now = await contentHashes(repo, [...candidates]);
  return new Set(candidates.filter((file) => records.some((record) => record.before[file] !== now.get(file))));
}

/**
 * Drop the records of commands a killed run left: called once a run has
 * recorded the whole working tree, which then holds what those commands wrote.
 * (A record kept longer would let any later change pass the clean-tree check.)
 */
export function clearPendingRecords(root: string): void {
  fs.rmSync(path.join(statePaths(root).dir, 'pending'), { recursive: true, force: true });
}

function pendingFile(root: string, taskId: string): string {
  return path.join(statePaths(root).dir, 'pending', `${encodeURIComponent(taskId)}.json`);
}

function readPending(file: string): PendingRecord | undefined {
  try {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<PendingRecord>;
    return data.version === 1 && data.before && typeof data.before === 'object' ? (data as PendingRecord) : undefined;
  } catch {
    return undefined;
  }
}

async function describeChange(repo: GitRepository, file: string, beforeHash: string | undefined): Promise<FileChange> {
  const absolute = path.join(repo.root, file);
  const info = fs.statSync(absolute, { throwIfNoEntry: false });
  // Too large to diff: a one-line stand-in on each side, so the file still shows as changed.
  if (info?.isFile() && info.size > DIFFABLE_BYTES) return { path: file, before: beforeHash === undefined || beforeHash === 'deleted' ? undefined : `(${beforeHash})\n`, after: `(${info.size} bytes)\n` };
  const after = info?.isFile() ? fs.readFileSync(absolute, 'utf8') : undefined;
  let before: string | undefined;
  try {
    if (beforeHash === undefined) before = await repo.git.raw(['show', `HEAD:${repoPath(repo, file)}`]);
    else if (beforeHash !== 'deleted') before = await repo.git.raw(['cat-file', 'blob', beforeHash]);
  } catch {
    before = undefined; // not in HEAD: a new file
  }
  return { path: file, before, after };
}
