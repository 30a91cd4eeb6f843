/**
 * The workspace's only contact with the disk: reading a file as text (absent
 * is a value, a directory is an error) and applying a set of changes with
 * atomic writes, undoing the ones already made when a later one fails, so a
 * task's changes land whole or not at all.
 */
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { UserError, errorMessage } from '../errors.js';
import { hasCode, isMissing, resolveInside } from './paths.js';
import type { FileChange } from './types.js';

/** A file's text on disk, or undefined when there is no file. */
export async function readDisk(absolute: string, shown: string): Promise<string | undefined> {
  try {
    return await readFile(absolute, 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    if (hasCode(error, 'EISDIR')) throw isDirectory(shown, 'read');
    throw new UserError(`Could not read "${shown}": ${errorMessage(error)}`, {
      hint: 'Check that the file is readable by the user running orchestrate.',
      cause: error,
    });
  }
}

/** What is on disk at a path: used to refuse writing over or reading a directory. */
export async function diskKind(absolute: string): Promise<'file' | 'directory' | 'absent' | 'under-file'> {
  try {
    return (await stat(absolute)).isDirectory() ? 'directory' : 'file';
  } catch (error) {
    if (hasCode(error, 'ENOTDIR')) return 'under-file';
    if (isMissing(error)) return 'absent';
    throw error;
  }
}

const PAST_PARTICIPLE = { read: 'read', write: 'written', remove: 'removed' } as const;

/** The refusal for treating a directory as a file. */
export function isDirectory(shown: string, action: keyof typeof PAST_PARTICIPLE): UserError {
  return new UserError(`"${shown}" is a directory, so it cannot be ${PAST_PARTICIPLE[action]} as a file`, {
    hint: 'Give the path of a file; to put a file inside the directory, add its name to the path.',
  });
}

/** Writes (atomically, keeping modes) and removes files; on failure restores the ones already changed. */
export async function applyToDisk(root: string, changes: readonly FileChange[]): Promise<void> {
  const done: FileChange[] = [];
  for (const change of changes) {
    try {
      await applyContent(root, change.path, change.after);
      done.push(change);
    } catch (error) {
      const leftChanged = await rollBack(root, done);
      throw new UserError(`Could not write "${change.path}": ${errorMessage(error)}`, {
        hint:
          leftChanged.length === 0
            ? "None of this task's changes were written; check permissions and free space, then run again."
            : `These files could not be restored and may hold this task's changes: ${leftChanged.join(', ')}.`,
        cause: error,
      });
    }
  }
}

async function rollBack(root: string, done: readonly FileChange[]): Promise<string[]> {
  const failed: string[] = [];
  for (const change of [...done].reverse()) {
    try {
      await applyContent(root, change.path, change.before);
    } catch {
      failed.push(change.path);
    }
  }
  return failed;
}

async function applyContent(root: string, key: string, content: string | undefined): Promise<void> {
  // Checked again here: a command run by another task may have planted a symlink since.
  const absolute = resolveInside(root, key);
  if (content === undefined) {
    await rm(absolute, { force: true });
    return;
  }
  await mkdir(path.dirname(absolute), { recursive: true });
  // write-file-atomic renames a temp file in the same directory and copies the old file's mode.
  await writeFileAtomic(absolute, content, { encoding: 'utf8' });
}
