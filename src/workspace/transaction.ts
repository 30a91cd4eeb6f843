/**
 * One task attempt's view of the target repository. Writes are staged in
 * memory; reads see them first, then what earlier tasks committed, then the
 * disk. The view remembers which version of each file it started from, so the
 * run can refuse a commit built on a file another task has since changed.
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BugError, UserError } from '../errors.js';
import { diskKind, isDirectory } from './disk.js';
import { matchConventions } from './line-endings.js';
import { locate, resolveInside, type Located } from './paths.js';
import type { FileChange, WorkspaceView } from './types.js';

type Content = string | undefined;

/** What a view needs from its run; implemented by Workspace. */
export interface RunOverlay {
  readonly root: string;
  /** How many commits of this run have changed the file so far. */
  version(key: string): number;
  /** The file as committed so far in this run (in memory in a dry run), else on disk. */
  readCommitted(located: Located, shown: string): Promise<Content>;
  /** Files committed in memory only (dry run), to tell files from directories. */
  pendingFiles(): ReadonlyMap<string, Content>;
  /**
   * Apply the view's changes unless a file it started from has changed since;
   * resolves to the run's version of each changed file after the commit.
   */
  commit(changes: readonly FileChange[], seen: ReadonlyMap<string, number>): Promise<ReadonlyMap<string, number>>;
  /** See WorkspaceView.diskReading. */
  diskReading<T>(key: string, read: () => Promise<T>): Promise<T>;
}

/** A task attempt's view: a WorkspaceView that is finally committed or discarded. */
export class WorkspaceTransaction implements WorkspaceView {
  readonly root: string;
  readonly #run: RunOverlay;
  /** Each file as this view first saw it, and the run's version of it at that moment. */
  readonly #bases = new Map<string, Content>();
  readonly #seen = new Map<string, number>();
  readonly #staged = new Map<string, Content>();
  #closed = false;

  constructor(run: RunOverlay) {
    this.#run = run;
    this.root = run.root;
  }

  resolve(path: string): string {
    return resolveInside(this.root, path);
  }

  diskReading<T>(key: string, read: () => Promise<T>): Promise<T> {
    return this.#run.diskReading(key, read);
  }

  async read(path: string): Promise<string | undefined> {
    const located = this.#locate(path);
    if (this.#staged.has(located.key)) return this.#staged.get(located.key);
    if (this.#overlayKind(located.key) === 'directory') throw isDirectory(path, 'read');
    return this.#base(located, path);
  }

  /** True for a file (pending or on disk) and for a directory. */
  async exists(path: string): Promise<boolean> {
    const located = this.#locate(path);
    if (this.#staged.has(located.key)) return this.#staged.get(located.key) !== undefined;
    if (this.#overlayKind(located.key) === 'directory') return true;
    if ((await diskKind(located.absolute)) === 'directory') return true;
    return (await this.#base(located, path)) !== undefined;
  }

  async list(dir: string): Promise<string[]> {
    const { key, absolute } = this.#locate(dir);
    const found = new Set<string>();
    const walk = async (at: string, prefix: string): Promise<void> => {
      let entries: Dirent[];
      try {
        entries = await readdir(at, { withFileTypes: true });
      } catch {
        return; // not there, or not a directory: nothing under it
      }
      for (const entry of entries) {
        if (entry.name === 'node_modules' || entry.name === '.git') continue;
        if (entry.isDirectory()) await walk(join(at, entry.name), `${prefix}${entry.name}/`);
        else if (entry.isFile()) found.add(`${prefix}${entry.name}`);
      }
    };
    await walk(absolute, `${key}/`);
    for (const [file, content] of [...this.#run.pendingFiles(), ...this.#staged]) {
      if (!file.startsWith(`${key}/`)) continue;
      if (content === undefined) found.delete(file);
      else found.add(file);
    }
    return [...found].sort();
  }

  async write(path: string, content: string): Promise<void> {
    const located = this.#locate(path);
    await this.#refuseNonFile(located, path, 'write');
    const base = await this.#base(located, path);
    const current = this.#staged.get(located.key) ?? base;
    this.#stage(located.key, matchConventions(current, content), base);
  }

  async remove(path: string): Promise<void> {
    const located = this.#locate(path);
    await this.#refuseNonFile(located, path, 'remove');
    this.#stage(located.key, undefined, await this.#base(located, path));
  }

  changes(): FileChange[] {
    return [...this.#staged.keys()]
      .sort()
      .map((key) => ({ path: key, before: this.#bases.get(key), after: this.#staged.get(key) }));
  }

  /** Make this view's changes part of the run (on disk unless dry run); returns them. */
  async commit(): Promise<FileChange[]> {
    this.#assertOpen();
    this.#closed = true;
    const changes = this.changes();
    await this.#run.commit(changes, this.#seen);
    return changes;
  }

  /**
   * Make part of this view's changes durable before the attempt ends: the
   * staged changes to `paths` (all of them when omitted) are committed to the
   * run as `commit` would, and the view goes on from the committed content,
   * so a later `commit` or `discard` leaves them in place. The same conflict
   * check as `commit` applies. Returns the changes committed.
   */
  async commitPartial(paths?: readonly string[]): Promise<FileChange[]> {
    this.#assertOpen();
    const wanted = paths === undefined ? undefined : new Set(paths.map((p) => locate(this.root, p).key));
    const changes = this.changes().filter((change) => wanted === undefined || wanted.has(change.path));
    if (changes.length === 0) return [];
    const versions = await this.#run.commit(changes, this.#seen);
    for (const change of changes) {
      // A write staged while the commit was under way is newer than what was committed: it stays staged.
      if (this.#staged.get(change.path) === change.after) this.#staged.delete(change.path);
      this.#bases.set(change.path, change.after);
      this.#seen.set(change.path, versions.get(change.path) ?? this.#run.version(change.path));
    }
    return changes;
  }

  /** Drop everything staged; safe to call after a failed commit. */
  discard(): void {
    this.#closed = true;
    this.#staged.clear();
  }

  #stage(key: string, next: Content, base: Content): void {
    this.#assertOpen();
    // Going back to what the file was is not a change, so it leaves no trace.
    if (next === base) this.#staged.delete(key);
    else this.#staged.set(key, next);
  }

  async #base(located: Located, shown: string): Promise<Content> {
    const { key } = located;
    if (this.#bases.has(key)) return this.#bases.get(key);
    // Version first: a commit landing while we read then counts as a conflict, never slips by.
    const version = this.#run.version(key);
    const content = await this.#run.readCommitted(located, shown);
    if (!this.#bases.has(key)) {
      this.#bases.set(key, content);
      this.#seen.set(key, version);
    }
    return this.#bases.get(key);
  }

  async #refuseNonFile(located: Located, shown: string, action: 'write' | 'remove'): Promise<void> {
    const overlay = this.#overlayKind(located.key);
    const disk = overlay === undefined ? await diskKind(located.absolute) : overlay;
    if (disk === 'directory') throw isDirectory(shown, action);
    if (disk === 'under-file' && action === 'write') {
      throw new UserError(`"${shown}" cannot be written: a parent of it is a file, not a directory`, {
        hint: 'Choose a path whose parent folders are folders, or remove the file that is in the way first.',
      });
    }
  }

  /** Whether pending files make `key` a directory or put it under a file. */
  #overlayKind(key: string): 'directory' | 'under-file' | undefined {
    const files = new Map([...this.#run.pendingFiles(), ...this.#staged]);
    for (const [other, content] of files) {
      if (content === undefined) continue;
      if (other.startsWith(`${key}/`)) return 'directory';
      if (key.startsWith(`${other}/`)) return 'under-file';
    }
    return undefined;
  }

  #locate(path: string): Located {
    this.#assertOpen();
    return locate(this.root, path);
  }

  #assertOpen(): void {
    if (this.#closed) throw new BugError('a workspace view was used after it was committed or discarded');
  }
}
