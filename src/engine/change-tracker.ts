/**
 * The files a task changed when its handler cannot name them (a `command`
 * runs any program): the working tree is looked at before and after the task
 * and the difference is the task's. The engine only knows this interface; the
 * CLI passes an implementation (git-based) when the target can be observed.
 */
import type { FileChange } from '../workspace/types.js';

/** Watches the working tree around one task. */
export interface ChangeTracker {
  /**
   * Called before the task's first attempt; the returned function, called
   * when the task has ended (however it ended), gives the changes made since.
   */
  begin(taskId: string): Promise<() => Promise<FileChange[]>>;
}
