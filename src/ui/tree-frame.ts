/**
 * One frame of the live tree as lines of text, without Ink: what the Ink
 * component draws (header, then the rows the layout chose for the terminal's
 * height, each cut to the terminal's width as Ink's `truncate-end` cuts it),
 * and the same frame painted straight on the terminal, so that the first
 * frame shows while Ink, React and yoga are still loading.
 */
import type { Style } from '../plan/render/style.js';
import type { ProgressModel } from './progress-model.js';
import { layoutTree } from './tree-layout.js';
import { headerText, rowText } from './tree-text.js';

export interface TreeFrameProps {
  model: ProgressModel;
  title: string;
  /** The moment drawn: elapsed times and the spinner frame come from it. */
  now: number;
  /** Terminal size. */
  rows: number;
  columns: number;
  style: Style;
}

/** Lines the tree leaves free: Ink's cursor line, and one spare so a frame never fills the screen. */
export const RESERVED_LINES = 2;

/** The texts of the frame's lines, uncut: never more than `rows - RESERVED_LINES`. */
export function frameTexts({ model, title, now, rows, columns, style }: TreeFrameProps): string[] {
  const budget = Math.max(1, rows - RESERVED_LINES - 1);
  return [headerText(model, title, now, columns, style), ...layoutTree(model, budget, now).map((row) => rowText(row, now, style))];
}

/**
 * The frame's lines as the terminal shows them: each cut to `columns` with an
 * ellipsis, as Ink cuts them. Undefined when a line has to be measured and
 * `loadTruncation` has not finished yet.
 */
export function frameLines(props: TreeFrameProps): string[] | undefined {
  const lines: string[] = [];
  for (const text of frameTexts(props)) {
    const line = cut(text, props.columns);
    if (line === undefined) return undefined;
    lines.push(line.trimEnd());
  }
  return lines;
}

type Truncate = (text: string, columns: number, options: { position: 'end' }) => string;
let truncate: Truncate | undefined;

/**
 * Load cli-truncate, which Ink cuts lines with. Loading it builds
 * string-width's grapheme segmenter and emoji pattern, tens of milliseconds,
 * so it is loaded only for a frame that may not fit as it is.
 */
export async function loadTruncation(): Promise<void> {
  truncate ??= (await import('cli-truncate')).default;
}

/**
 * The characters other than printable ASCII that the tree draws with, each
 * one column wide (the tests hold string-width to that). A line made of
 * these alone is as wide as it is long.
 */
export const NARROW_SYMBOLS = '○↻✓✗…■⊘█░▾▸╞├║│›◆·⇉→⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
const NARROW = new RegExp(`^[\\u0020-\\u007e${NARROW_SYMBOLS}]*$`, 'u');
const SGR = /\u001b\[[\d;]*m/g;

/**
 * `text` cut to `columns` as cli-truncate cuts it (which is what Ink uses),
 * or undefined when that needs cli-truncate and it is not loaded. A line of
 * narrow characters that fits is known to fit without measuring it, and
 * cli-truncate would return it unchanged.
 */
function cut(text: string, columns: number): string | undefined {
  const visible = text.replace(SGR, '');
  if (visible.length <= columns && NARROW.test(visible)) return text;
  return truncate?.(text, columns, { position: 'end' });
}

/** A frame written on the terminal by `paintFrame`. */
export interface PaintedFrame {
  /** Erase the frame and put the cursor where its first line began, as Ink erases its own frames. */
  erase(): void;
}

/**
 * Write a frame on `stream` as Ink's log-update does (the lines, then a
 * newline, leaving the cursor on the line below), so that erasing it the way
 * Ink erases a frame leaves nothing behind.
 */
export function paintFrame(stream: { write(text: string): unknown }, lines: readonly string[]): PaintedFrame {
  stream.write(`${lines.join('\n')}\n`);
  return { erase: () => stream.write(eraseLines(lines.length + 1)) };
}

/** Erase `count` lines upwards from the cursor's, ending at the start of the topmost (ansi-escapes' eraseLines). */
function eraseLines(count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) text += `\u001b[2K${i < count - 1 ? '\u001b[1A' : ''}`;
  return count ? `${text}\u001b[G` : '';
}
