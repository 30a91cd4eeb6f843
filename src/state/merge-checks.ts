/**
 * What `merge-results` refuses, checked before anything is written: shards
 * of different sizes, plans or commits, a shard given twice or missing,
 * damaged copies, two shards writing one file differently, and files the
 * target has changed since its last commit. Each refusal names the shard
 * folders concerned and says what to do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { sha256, type ReadBundle } from './shard-bundle.js';

/** What the bundles must agree with: the target's plan and commit. */
export interface MergeTarget {
  planFile: string;
  planHash: string;
  /** The target's checked-out commit; undefined outside git. */
  baseCommit: string | undefined;
}

/** Refuse bundles that do not make one whole run of the target's plan, on the target's commit. */
export function checkBundles(bundles: readonly ReadBundle[], target: MergeTarget): void {
  const [first] = bundles;
  if (!first) throw new UserError('merge-results needs the folders of the shards to merge', { hint: 'e.g. orchestrate merge-results shards/*' });
  const count = first.bundle.shard.count;
  for (const item of bundles) {
    const { shard } = item.bundle;
    if (shard.count !== count) {
      throw new UserError(`${first.given} holds shard ${shard_(first)} but ${item.given} holds shard ${shard_(item)}: the shards come from runs split differently`, {
        hint: 'Merge the results of one sharded run: every job run with the same n in --shard i/n.',
      });
    }
  }
  for (const item of bundles) {
    if (item.bundle.planHash !== target.planHash) {
      throw new UserError(`${item.given} (shard ${shard_(item)}) ran a different plan: ${item.bundle.planFile} had sha256 ${short(item.bundle.planHash)}, the target's ${target.planFile} has ${short(target.planHash)}`, {
        hint: 'Merge into a checkout of the commit the shards ran on, with the same plan file, or run the shards again.',
      });
    }
  }
  for (const item of bundles) {
    const theirs = item.bundle.baseCommit;
    const ours = target.baseCommit;
    const other = bundles.find((b) => b.bundle.baseCommit !== theirs);
    if (other) {
      throw new UserError(`${item.given} (shard ${shard_(item)}) ran on commit ${short(theirs)} but ${other.given} (shard ${shard_(other)}) on ${short(other.bundle.baseCommit)}`, {
        hint: 'Every shard must run on the same commit: in a workflow, check out one sha (github.sha) in every job.',
      });
    }
    if (theirs !== undefined && ours !== undefined && theirs !== ours) {
      throw new UserError(`${item.given} (shard ${shard_(item)}) ran on commit ${short(theirs)}, but the target is at ${short(ours)}`, {
        hint: `Merge into a checkout of ${short(theirs)} (git checkout ${theirs}), then commit the merged result.`,
      });
    }
  }
  const seen = new Map<number, ReadBundle>();
  for (const item of bundles) {
    const twin = seen.get(item.bundle.shard.index);
    if (twin) {
      throw new UserError(`shard ${shard_(item)} is given twice: ${twin.given} and ${item.given}`, { hint: 'Give each shard once (each job of the matrix uploads its own folder).' });
    }
    seen.set(item.bundle.shard.index, item);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !seen.has(index));
  if (missing.length > 0) {
    throw new UserError(`${missing.length === 1 ? `shard ${missing[0]} of ${count} is` : `shards ${missing.join(', ')} of ${count} are`} missing (given: ${[...seen.keys()].sort((a, b) => a - b).join(', ')})`, {
      hint: `Wait for the missing job${missing.length === 1 ? '' : 's'} (or run ${missing.map((i) => `--shard ${i}/${count}`).join(', ')} again) and give every shard's folder.`,
    });
  }
}

/** The files to write (path -> the bundle copy holding it), refusing damaged copies and conflicting writes. */
export function collectFiles(bundles: readonly ReadBundle[]): Map<string, { hash: string | null; from: ReadBundle }> {
  const chosen = new Map<string, { hash: string | null; from: ReadBundle }>();
  for (const item of bundles) {
    for (const [file, hash] of Object.entries(item.bundle.files)) {
      checkPath(file, item);
      if (hash !== null) {
        const copy = path.join(item.dir, 'files', file);
        let content: Buffer;
        try {
          content = fs.readFileSync(copy);
        } catch {
          throw new UserError(`${item.given} (shard ${shard_(item)}) lacks its copy of ${file} (files/${file})`, { hint: 'Upload the whole shard folder, files/ included.' });
        }
        if (sha256(content) !== hash) {
          throw new UserError(`${item.given} (shard ${shard_(item)}): the copy of ${file} does not match what the shard wrote (sha256 ${short(sha256(content))}, expected ${short(hash)})`, {
            hint: 'The shard results were changed after the run: download them again, or run the shard again.',
          });
        }
      }
      const earlier = chosen.get(file);
      if (earlier && earlier.hash !== hash) {
        throw new UserError(`${file} was written differently by shard ${shard_(earlier.from)} (${earlier.from.given}) and shard ${shard_(item)} (${item.given})`, {
          hint: 'Two tasks of the plan write this file: give them different test_file patterns or targets, so that each file has one writer.',
        });
      }
      if (!earlier) chosen.set(file, { hash, from: item });
    }
  }
  return chosen;
}

/** Refuse target files with uncommitted changes that the merge would overwrite with something else, and paths a symlink leads out of the target. */
export function checkTargetFiles(root: string, files: Map<string, { hash: string | null }>, uncommitted: readonly string[] | undefined): void {
  const realRoot = fs.realpathSync(root);
  for (const file of files.keys()) {
    const real = realpathOfNearest(path.join(root, file));
    if (real !== realRoot && !real.startsWith(`${realRoot}${path.sep}`)) {
      throw new UserError(`${file} leads out of the target through a symlink (to ${real}); nothing was written`, { hint: 'Remove the symlink from the target, or merge into a checkout without it.' });
    }
  }
  const dirty = new Set(uncommitted ?? []);
  const clashes = [...files].filter(([file, { hash }]) => {
    if (!dirty.has(file)) return false;
    const current = readOrUndefined(path.join(root, file));
    return current === undefined ? hash !== null : sha256(current) !== hash;
  });
  if (clashes.length > 0) {
    throw new UserError(`the target has uncommitted changes to ${clashes.length === 1 ? 'a file' : `${clashes.length} files`} the shards wrote: ${clashes.map(([file]) => file).join(', ')}`, {
      hint: 'Commit or stash those changes (git stash push -- <files>), then merge again.',
    });
  }
}

function checkPath(file: string, item: ReadBundle): void {
  const normal = path.posix.normalize(file);
  if (path.posix.isAbsolute(file) || normal !== file || normal.startsWith('../') || normal === '..' || /(^|\/)\.git(\/|$)/.test(normal) || normal.startsWith('.orchestrate/')) {
    throw new UserError(`${item.given} (shard ${shard_(item)}) names a file outside what a run may write: ${file}`, { hint: 'The shard results are damaged or not from orchestrate; run the shard again.' });
  }
}

/** The real path of `file`, or of its nearest existing folder when it does not exist yet. */
function realpathOfNearest(file: string): string {
  let current = file;
  for (;;) {
    try {
      return fs.realpathSync(current);
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return current;
      current = parent;
    }
  }
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

function shard_(item: ReadBundle): string {
  return `${item.bundle.shard.index}/${item.bundle.shard.count}`;
}

function short(hash: string | undefined): string {
  return hash === undefined ? '(no commit: not a git repository)' : hash.slice(0, 12);
}
