/**
 * Rendering file changes for people: git-style unified diffs for the dry-run
 * preview and a `git diff --stat`-like summary. The diffing itself is jsdiff's;
 * this module only decides names, context and the summary's layout.
 */
import { createTwoFilesPatch, structuredPatch } from 'diff';
import type { FileChange } from './types.js';

const CONTEXT_LINES = 3;
/** Widest +/- bar, so a large change does not push the summary past ~80 columns. */
const MAX_BAR = 40;

export interface DiffstatFile {
  path: string;
  added: number;
  removed: number;
}

export interface Diffstat {
  files: DiffstatFile[];
  added: number;
  removed: number;
  /** The `--stat` lines, newline-terminated; empty when nothing changed. */
  text: string;
}

/** A git-style unified diff of one change; empty when before and after are equal. */
export function unifiedDiff(change: FileChange): string {
  if (change.before === change.after) return '';
  const oldName = change.before === undefined ? '/dev/null' : `a/${change.path}`;
  const newName = change.after === undefined ? '/dev/null' : `b/${change.path}`;
  return createTwoFilesPatch(oldName, newName, change.before ?? '', change.after ?? '', undefined, undefined, {
    context: CONTEXT_LINES,
    headerOptions: { includeIndex: false, includeUnderline: false, includeFileHeaders: true },
  });
}

/** Lines added and removed per file and in total, with git's `--stat` text. */
export function diffstat(changes: FileChange[]): Diffstat {
  const files = changes
    .filter((change) => change.before !== change.after)
    .map((change) => ({ path: change.path, ...countLines(change) }));
  const added = files.reduce((sum, file) => sum + file.added, 0);
  const removed = files.reduce((sum, file) => sum + file.removed, 0);
  return { files, added, removed, text: statText(files, added, removed) };
}

function countLines(change: FileChange): { added: number; removed: number } {
  const patch = structuredPatch('a', 'b', change.before ?? '', change.after ?? '', undefined, undefined, {
    context: 0,
  });
  let added = 0;
  let removed = 0;
  for (const hunk of patch.hunks) {
    for (const line of hunk.lines) {
      if (line.startsWith('+')) added += 1;
      else if (line.startsWith('-')) removed += 1;
    }
  }
  return { added, removed };
}

function statText(files: DiffstatFile[], added: number, removed: number): string {
  if (files.length === 0) return '';
  const nameWidth = Math.max(...files.map((file) => file.path.length));
  const biggest = Math.max(...files.map((file) => file.added + file.removed));
  const countWidth = String(biggest).length;
  const lines = files.map((file) => {
    const total = file.added + file.removed;
    const bar = scaledBar(file.added, file.removed, biggest);
    const count = String(total).padStart(countWidth);
    return ` ${file.path.padEnd(nameWidth)} | ${count}${bar === '' ? '' : ` ${bar}`}`;
  });
  lines.push(summaryLine(files.length, added, removed));
  return `${lines.join('\n')}\n`;
}

/** Like git: scale only when the biggest change would not fit, and never hide a non-zero side. */
function scaledBar(added: number, removed: number, biggest: number): string {
  const total = added + removed;
  if (total === 0) return '';
  let plus = added;
  let minus = removed;
  if (biggest > MAX_BAR) {
    const width = Math.max(1, Math.round((total * MAX_BAR) / biggest));
    plus = added === 0 ? 0 : Math.max(1, Math.round((added * width) / total));
    minus = removed === 0 ? 0 : Math.max(1, width - plus);
    if (added > 0 && removed > 0 && plus >= width) plus = Math.max(1, width - 1);
  }
  return '+'.repeat(plus) + '-'.repeat(minus);
}

function summaryLine(fileCount: number, added: number, removed: number): string {
  const parts = [` ${fileCount} ${fileCount === 1 ? 'file' : 'files'} changed`];
  // git names both sides when both are zero, and otherwise only the non-zero ones.
  if (added > 0 || removed === 0) parts.push(`${added} ${added === 1 ? 'insertion' : 'insertions'}(+)`);
  if (removed > 0 || added === 0) parts.push(`${removed} ${removed === 1 ? 'deletion' : 'deletions'}(-)`);
  return parts.join(', ');
}
