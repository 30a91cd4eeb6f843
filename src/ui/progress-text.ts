/**
 * A task's progress report (`ctx.progress`) as reporters print it: the counts
 * with their unit for the tree's running row, and the whole report as one
 * line for logs.
 */
import type { TaskProgress } from '../engine/handler.js';
import { oneLine } from './one-line.js';

/** `12/40 sources`: the counts and the unit. */
export function progressCounts(progress: TaskProgress): string {
  return `${progress.done}/${progress.total}${progress.unit ? ` ${oneLine(progress.unit)}` : ''}`;
}

/** `12/40 sources: src/parse.ts (3 tests kept)`: the whole report as one line. */
export function progressText(progress: TaskProgress): string {
  const current = progress.current ? `: ${oneLine(progress.current)}` : '';
  const detail = progress.detail ? ` (${oneLine(progress.detail)})` : '';
  return `${progressCounts(progress)}${current}${detail}`;
}
