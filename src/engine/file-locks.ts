/**
 * One task at a time per file. Tasks that name the same file in `touches`
 * (two config edits of one workflow in a parallel group, say) take turns on
 * it in the order they asked, instead of racing: without the turns, the
 * second to finish finds the file changed under it, fails with a conflict and
 * waits out a retry's backoff, and which task edits first differs from run
 * to run. Files are taken in path order, so two tasks naming the same two
 * files cannot hold one each and wait for the other. Globs are not held; a
 * task that names no file takes no turn.
 */
import path from 'node:path';
import pLimit, { type LimitFunction } from 'p-limit';

export class FileLocks {
  readonly #locks = new Map<string, LimitFunction>();

  /** Run `work` while holding every file of `files` (root-relative paths; globs are left out). */
  hold<T>(files: readonly string[], work: () => Promise<T>): Promise<T> {
    const exact = [...new Set(files.filter((file) => !/[*?[\]{}]/.test(file)).map((file) => path.posix.normalize(file)))].sort();
    let run = work;
    for (const file of exact.reverse()) {
      const inner = run;
      const lock = this.#lockOf(file);
      run = () => lock(inner);
    }
    return run();
  }

  #lockOf(file: string): LimitFunction {
    let lock = this.#locks.get(file);
    if (!lock) {
      lock = pLimit(1);
      this.#locks.set(file, lock);
    }
    return lock;
  }
}
