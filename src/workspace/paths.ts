/**
 * Keeping every file access inside the target root. Paths from plans and
 * handlers are root-relative; this module turns them into one canonical key
 * and an absolute path, and refuses anything that would land outside the root,
 * lexically (`..`, absolute paths) or physically (through a symlink, including
 * a dangling one that a write would follow).
 */
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';

const MAX_SYMLINK_HOPS = 40;

/** The canonical root-relative key of a path ('/'-separated); refuses absolute and escaping paths. */
export function toKey(relative: string): string {
  if (relative.trim() === '' || relative.includes('\0')) {
    throw new UserError(`"${relative}" is not a valid file path`, {
      hint: 'Give a path relative to the target root, such as "src/index.ts".',
    });
  }
  if (path.isAbsolute(relative) || path.win32.isAbsolute(relative)) throw outside(relative);
  const normalized = path.normalize(relative).split(path.sep).join('/').replace(/\/+$/, '');
  if (normalized === '..' || normalized.startsWith('../')) throw outside(relative);
  if (normalized === '.' || normalized === '') {
    throw new UserError(`"${relative}" names the target root itself, not a file`, {
      hint: 'Give the path of a file inside the target root.',
    });
  }
  return normalized;
}

/** A checked path: its canonical key and its absolute path under the root. */
export interface Located {
  key: string;
  absolute: string;
}

/** Key and absolute path of a root-relative path, after checking that it physically stays inside root. */
export function locate(root: string, relative: string): Located {
  const key = toKey(relative);
  const absolute = path.join(root, ...key.split('/'));
  if (!isInside(root, physicalPath(absolute, relative))) throw outside(relative);
  return { key, absolute };
}

/** The absolute path of a root-relative path; throws a UserError when it leaves the root. */
export function resolveInside(root: string, relative: string): string {
  return locate(root, relative).absolute;
}

/** True when `candidate` is `root` or lies below it. */
export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** The refusal every caller shows for a path that leaves the root. */
export function outside(relative: string): UserError {
  return new UserError(`"${relative}" is outside the target root`, {
    hint: 'Paths in a plan are relative to the target root and may not leave it, also not through "..", an absolute path or a symlink.',
  });
}

/**
 * Where `absolute` really lands: the realpath of its nearest existing ancestor
 * (or of itself) with the missing rest appended. A dangling symlink is followed
 * by hand because realpath cannot, yet a write would create its target.
 */
function physicalPath(absolute: string, shown: string, hops = 0): string {
  if (hops > MAX_SYMLINK_HOPS) throw symlinkLoop(shown);
  let probe = absolute;
  const missing: string[] = [];
  for (;;) {
    try {
      lstatSync(probe);
      break;
    } catch (error) {
      if (!isMissing(error)) throw error;
      const parent = path.dirname(probe);
      if (parent === probe) return absolute;
      missing.unshift(path.basename(probe));
      probe = parent;
    }
  }
  try {
    return path.join(realpathSync(probe), ...missing);
  } catch (error) {
    if (hasCode(error, 'ELOOP')) throw symlinkLoop(shown);
    if (!isMissing(error)) throw error;
    // `probe` exists per lstat but cannot be resolved: it is a dangling symlink.
    const target = path.resolve(realpathSync(path.dirname(probe)), readlinkSync(probe));
    return physicalPath(path.join(target, ...missing), shown, hops + 1);
  }
}

function symlinkLoop(shown: string): UserError {
  return new UserError(`"${shown}" goes through a loop of symlinks`, {
    hint: 'Fix or remove the symlinks on that path in the target repository.',
  });
}

/** True for errors that mean "nothing there" (including a file where a directory was expected). */
export function isMissing(error: unknown): boolean {
  return hasCode(error, 'ENOENT') || hasCode(error, 'ENOTDIR');
}

/** True when `error` is a Node system error with this code. */
export function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
