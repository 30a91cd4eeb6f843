/**
 * Text splices into a bracketed list (an object's properties, an array's
 * items) of JavaScript or JSON source, knowing only where the brackets and the
 * members are. Shared by the JS/TS and JSON engines so that both add a member
 * on its own line with its siblings' indentation, fix up the comma before it,
 * keep a comment that ends the previous line where it is, and remove a member
 * together with its line and comma.
 */
import { PRINT_WIDTH, type Style } from './js-render.js';

/** A range of the text: `start` inclusive, `end` exclusive. */
export interface Span {
  start: number;
  end: number;
}

/** A `{...}` or `[...]`: the offsets of its two brackets and of its members. */
export interface Container {
  open: number;
  close: number;
  members: readonly Span[];
}

/** Replace `text.slice(start, end)` with `text`. */
export interface Splice extends Span {
  text: string;
}

/** Leading whitespace of the line holding `offset`. */
export function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** True when only whitespace precedes `offset` on its line. */
export function startsLine(text: string, offset: number): boolean {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return text.slice(start, offset).trim() === '';
}

/** After `end`: whether a comma follows (past blanks and comments) and the offset just past it. */
export function commaAfter(text: string, end: number): { hasComma: boolean; after: number } {
  const m = /^(\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*,/.exec(text.slice(end));
  return m === null ? { hasComma: false, after: end } : { hasComma: true, after: end + m[0].length };
}

/** The end of the line at `offset` when the rest of it is only blanks or a comment, else `offset`. */
export function restOfLine(text: string, offset: number): number {
  const m = /^[ \t]*(\/\/[^\n]*|\/\*[^\n]*?\*\/[ \t]*)?(?=\n|$)/.exec(text.slice(offset));
  return m === null ? offset : offset + m[0].length;
}

/** Renders a new member for the indentation it will have; `inline` when it joins a one-line list. */
export type Entry = (indent: string, inline: boolean) => string;

/** Add a member after the last one. */
export function appendMember(text: string, container: Container, entry: Entry, style: Style): Splice {
  const { open, close, members } = container;
  const last = members[members.length - 1];
  if (last === undefined) {
    const outer = lineIndent(text, open);
    const indent = outer + style.unit;
    const body = `${entry(indent, false)}${style.trailingComma ? ',' : ''}`;
    const inner = text.slice(open + 1, close);
    if (inner.trim() === '') return { start: open + 1, end: close, text: `\n${indent}${body}\n${outer}` };
    return { start: open + 1, end: open + 1, text: `\n${indent}${body}` };
  }
  const { hasComma, after } = commaAfter(text, last.end);
  const multiline = text.slice(open, last.start).includes('\n');
  if (multiline) {
    const indent = lineIndent(text, last.start);
    const at = restOfLine(text, after);
    const splices: Splice[] = [{ start: at, end: at, text: `\n${indent}${entry(indent, false)}${hasComma ? ',' : ''}` }];
    if (!hasComma) splices.unshift({ start: last.end, end: last.end, text: ',' });
    return merge(text, splices);
  }
  const indent = lineIndent(text, open);
  const splice: Splice = hasComma ? { start: after, end: after, text: ` ${entry(indent, true)},` } : { start: last.end, end: last.end, text: `, ${entry(indent, true)}` };
  return overflows(text, splice) ? explode(text, container, members.length, entry, style) ?? splice : splice;
}

/** True when the splice makes its line longer than the print width. */
function overflows(text: string, splice: Splice): boolean {
  const lineStart = text.lastIndexOf('\n', splice.start - 1) + 1;
  const newline = text.indexOf('\n', splice.end);
  const lineEnd = newline < 0 ? text.length : newline;
  return lineEnd - lineStart - (splice.end - splice.start) + splice.text.length > PRINT_WIDTH;
}

/**
 * A one-line list that would grow past the print width, written one member a
 * line with the new one at `index` (as prettier would). Only that list's own
 * line changes. Undefined when the list holds comments, which would be lost.
 */
function explode(text: string, container: Container, index: number, entry: Entry, style: Style): Splice | undefined {
  const { open, close, members } = container;
  if (text.slice(open, close + 1).includes('\n') || /\/\/|\/\*/.test(textBetween(text, container))) return undefined;
  const outer = lineIndent(text, open);
  const inner = outer + style.unit;
  const items = members.map((m) => text.slice(m.start, m.end));
  items.splice(index, 0, entry(inner, false));
  const comma = style.trailingComma ? ',' : '';
  return { start: open + 1, end: close, text: `\n${items.map((item) => `${inner}${item}`).join(',\n')}${comma}\n${outer}` };
}

/** The text of a list outside its members: separators, blanks, comments. */
function textBetween(text: string, container: Container): string {
  let out = '';
  let pos = container.open + 1;
  for (const m of container.members) {
    out += text.slice(pos, m.start);
    pos = m.end;
  }
  return out + text.slice(pos, container.close);
}

/** Insert a member before the one at `index` (or append when there is none). */
export function insertMember(text: string, container: Container, index: number, entry: Entry, style: Style): Splice {
  const before = container.members[index];
  if (before === undefined) return appendMember(text, container, entry, style);
  const indent = lineIndent(text, before.start);
  const ownLine = text.slice(container.open, before.start).includes('\n') && startsLine(text, before.start);
  if (ownLine) return { start: before.start, end: before.start, text: `${entry(indent, false)},\n${indent}` };
  const splice: Splice = { start: before.start, end: before.start, text: `${entry(indent, true)}, ` };
  return overflows(text, splice) ? explode(text, container, index, entry, style) ?? splice : splice;
}

/** Remove the member at `index`: its whole line when it has one to itself, else with its comma. */
export function removeMember(text: string, container: Container, index: number): Splice | undefined {
  const member = container.members[index];
  if (member === undefined) return undefined;
  const { hasComma, after } = commaAfter(text, member.end);
  if (startsLine(text, member.start)) {
    const lineStart = text.lastIndexOf('\n', member.start - 1) + 1;
    const end = restOfLine(text, after);
    if (text[end] === '\n') {
      const previous = container.members[index - 1];
      // Without a trailing comma the previous member's comma must go too (JSON forbids a dangling one).
      if (!hasComma && previous !== undefined && container.members[index + 1] === undefined) {
        const comma = commaAfter(text, previous.end);
        if (comma.hasComma) return merge(text, [{ start: previous.end, end: comma.after, text: '' }, { start: lineStart, end: end + 1, text: '' }]);
      }
      return { start: lineStart, end: end + 1, text: '' };
    }
  }
  if (hasComma) {
    const blanks = /^[ \t]*/.exec(text.slice(after))![0];
    return { start: member.start, end: after + blanks.length, text: '' };
  }
  const previous = container.members[index - 1];
  if (previous !== undefined) return { start: previous.end, end: member.end, text: '' };
  return { start: member.start, end: member.end, text: '' };
}

/** Several splices as one covering them all (they must not overlap). */
export function merge(text: string, splices: readonly Splice[]): Splice {
  const sorted = [...splices].sort((a, b) => a.start - b.start);
  const start = sorted[0]!.start;
  const end = Math.max(...sorted.map((s) => s.end));
  let out = '';
  let pos = start;
  for (const s of sorted) {
    out += text.slice(pos, s.start) + s.text;
    pos = s.end;
  }
  return { start, end, text: out + text.slice(pos, end) };
}

/** `text` with the splice applied. */
export function applySplice(text: string, splice: Splice | undefined): string {
  return splice === undefined ? text : text.slice(0, splice.start) + splice.text + text.slice(splice.end);
}
