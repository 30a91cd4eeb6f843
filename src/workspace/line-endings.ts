/**
 * Keeping a file's conventions when a handler rewrites it. Handlers produce
 * text with LF line endings and no byte order mark (YAML and JSON libraries,
 * templates); a repository checked out with CRLF or saved with a BOM should
 * not get a whole-file diff for that.
 */

const BOM = '\uFEFF';

/** True when the text has at least one line break and every line break is CRLF. */
export function usesCrlf(text: string): boolean {
  let crlf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (text[i - 1] !== '\r') return false;
    crlf += 1;
  }
  return crlf > 0;
}

/**
 * The content to store when `next` replaces `original`: bare LF becomes CRLF
 * when the original used CRLF throughout, and the original's BOM is kept. A
 * final newline stays present or absent exactly as the handler wrote it.
 */
export function matchConventions(original: string | undefined, next: string): string {
  if (original === undefined) return next;
  let result = next;
  // Only text with bare LF is converted; a handler that wrote CRLF (or a mix) meant it.
  if (usesCrlf(original) && result.includes('\n') && !result.includes('\r\n')) {
    result = result.replace(/\n/g, '\r\n');
  }
  if (original.startsWith(BOM) && !result.startsWith(BOM)) result = BOM + result;
  return result;
}
