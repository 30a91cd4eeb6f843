/**
 * The file access handlers get. Reads see the pending changes of earlier tasks
 * (in a dry run) and of this task; writes stay pending until the engine
 * commits the task. Every path is relative to the target root; a path that
 * leaves the root (`..`, absolute, or through a symlink) is refused.
 */

/** One file's pending change; `undefined` content means absent. */
export interface FileChange {
  path: string;
  before: string | undefined;
  after: string | undefined;
}

/** A task's view of the target repository. */
export interface WorkspaceView {
  /** Absolute path of the target root. */
  readonly root: string;
  /** Absolute path for a root-relative path; throws a UserError when outside the root. */
  resolve(path: string): string;
  /** The file's current content (pending or on disk), or undefined when it does not exist. */
  read(path: string): Promise<string | undefined>;
  exists(path: string): Promise<boolean>;
  /**
   * The files under a directory, root-relative and sorted: those on disk
   * (leaving out node_modules and .git) and pending ones, without pending
   * removals. Empty when the directory does not exist.
   */
  list(dir: string): Promise<string[]>;
  /** Stage new content for a file. Writing identical content is not a change. */
  write(path: string, content: string): Promise<void>;
  /** Stage the removal of a file. */
  remove(path: string): Promise<void>;
  /** The changes staged so far by this view, in path order. */
  changes(): FileChange[];
  /**
   * A costly reading of the disk (a `git ls-files`, say) that many tasks ask
   * for: `read` runs once per run under `key` when the run writes nothing to
   * the disk (a dry run), and on every call otherwise, since a real run's
   * tasks change the disk as they go. Optional, so a view made for a test
   * need not have it; callers then read every time.
   */
  diskReading?<T>(key: string, read: () => Promise<T>): Promise<T>;
}
