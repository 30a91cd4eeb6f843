/**
 * The run's workspace: hands each task attempt its own view, and applies
 * committed views one at a time, either to the disk (a real run) or to an
 * in-memory overlay that later views read through (a dry run), so a dry run
 * follows the same path as a real one up to the final write. It also keeps the
 * start-of-run content of every changed file for the run's diff.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import { applyToDisk, readDisk } from './disk.js';
import { isMissing, type Located } from './paths.js';
import { WorkspaceTransaction, type RunOverlay } from './transaction.js';
import type { FileChange } from './types.js';

export { WorkspaceTransaction } from './transaction.js';

export interface WorkspaceOptions {
  dryRun: boolean;
}

const NOTHING_PENDING: ReadonlyMap<string, string | undefined> = new Map();

/** One run's access to the target repository. */
export class Workspace implements RunOverlay {
  readonly root: string;
  readonly dryRun: boolean;
  /** Latest committed content per changed file; what a dry run's views read instead of the disk. */
  readonly #latest = new Map<string, string | undefined>();
  readonly #original = new Map<string, string | undefined>();
  readonly #versions = new Map<string, number>();
  /** Commits run one after another, so checking for conflicts and applying is one step. */
  #queue: Promise<unknown> = Promise.resolve();
  /** Readings of the disk shared by a dry run's tasks: the disk does not change under it. */
  readonly #readings = new Map<string, Promise<unknown>>();

  private constructor(root: string, options: WorkspaceOptions) {
    this.root = root;
    this.dryRun = options.dryRun;
  }

  /** Open the workspace for the target root, which must be an existing directory. */
  static async open(root: string, options: WorkspaceOptions): Promise<Workspace> {
    const absolute = path.resolve(root);
    try {
      const real = await realpath(absolute);
      if (!(await stat(real)).isDirectory()) throw notADirectory(absolute);
      return new Workspace(real, options);
    } catch (error) {
      if (isMissing(error)) throw notADirectory(absolute);
      throw error;
    }
  }

  /** A fresh view for one task attempt. */
  view(): WorkspaceTransaction {
    return new WorkspaceTransaction(this);
  }

  /** Every file this run changed: start-of-run content as `before`, the latest as `after`, in path order. */
  changes(): FileChange[] {
    return [...this.#original.keys()]
      .sort()
      .map((key) => ({ path: key, before: this.#original.get(key), after: this.#latest.get(key) }))
      .filter((change) => change.before !== change.after);
  }

  // The RunOverlay side below is for this run's views, not for the engine.

  version(key: string): number {
    return this.#versions.get(key) ?? 0;
  }

  async readCommitted(located: Located, shown: string): Promise<string | undefined> {
    if (this.dryRun && this.#latest.has(located.key)) return this.#latest.get(located.key);
    return readDisk(located.absolute, shown);
  }

  diskReading<T>(key: string, read: () => Promise<T>): Promise<T> {
    // A real run's commits change the disk between tasks, so only a dry run can share a reading.
    if (!this.dryRun) return read();
    let reading = this.#readings.get(key) as Promise<T> | undefined;
    if (reading === undefined) {
      reading = read();
      this.#readings.set(key, reading);
    }
    return reading;
  }

  pendingFiles(): ReadonlyMap<string, string | undefined> {
    // In a real run committed files are on disk, where the views look anyway.
    return this.dryRun ? this.#latest : NOTHING_PENDING;
  }

  commit(changes: readonly FileChange[], seen: ReadonlyMap<string, number>): Promise<ReadonlyMap<string, number>> {
    const step = this.#queue.then(() => this.#commitNow(changes, seen));
    this.#queue = step.catch(() => undefined);
    return step;
  }

  async #commitNow(changes: readonly FileChange[], seen: ReadonlyMap<string, number>): Promise<ReadonlyMap<string, number>> {
    const stale = [...seen].filter(([key, version]) => this.version(key) !== version).map(([key]) => key);
    if (stale.length > 0) throw conflict(stale.sort(), 'by another task running at the same time');
    if (!this.dryRun && changes.length > 0) {
      const drifted: string[] = [];
      for (const change of changes) {
        const now = await readDisk(path.join(this.root, ...change.path.split('/')), change.path);
        if (now !== change.before) drifted.push(change.path);
      }
      if (drifted.length > 0) throw conflict(drifted, 'on disk by something outside this run');
      await applyToDisk(this.root, changes);
    }
    const versions = new Map<string, number>();
    for (const change of changes) {
      if (!this.#original.has(change.path)) this.#original.set(change.path, change.before);
      this.#latest.set(change.path, change.after);
      this.#versions.set(change.path, this.version(change.path) + 1);
      versions.set(change.path, this.version(change.path));
    }
    return versions;
  }
}

function conflict(paths: readonly string[], by: string): UserError {
  const names = paths.map((p) => `"${p}"`).join(', ');
  return new UserError(`${names} ${paths.length === 1 ? 'was' : 'were'} changed ${by}`, {
    hint: 'Nothing of this task was written; run it again (or use --sequential) so it starts from the current files.',
  });
}

function notADirectory(root: string): UserError {
  return new UserError(`The target root "${root}" does not exist or is not a directory`, {
    hint: 'Pass an existing repository with --cwd, or fix project.root in the plan.',
  });
}
