/**
 * How a YAML file writes its structure, and new structure written the same
 * way. The engine never re-prints existing text; only values an edit adds are
 * rendered here, with the file's indentation step, its way of indenting
 * sequences under their key, its preferred quotes and its flow padding.
 */
import { parse, stringify } from 'yaml';

/** The writing habits of one file. */
export interface YamlStyle {
  /** Spaces per nesting level of maps. */
  indent: number;
  /** True when `key:` is followed by `  - item` (indented), false for `- item` at the key's column. */
  indentSeq: boolean;
  /** True when the file quotes with '...' more than "...". */
  singleQuote: boolean;
  /** True when flow collections are written `[ a, b ]`. */
  flowPadding: boolean;
}

/** The style of `text`, from its lines (defaults: 2 spaces, indented sequences, double quotes). */
export function detectStyle(text: string): YamlStyle {
  const lines = text.split('\n');
  const steps = new Map<number, number>();
  let indented = 0;
  let flush = 0;
  for (const [i, line] of lines.entries()) {
    const key = /^( *)[^\s#-][^:#]*:\s*(#.*)?$/.exec(line);
    if (key === null) continue;
    const next = lines.slice(i + 1).find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    if (next === undefined) continue;
    const column = key[1]!.length;
    const nextColumn = next.length - next.trimStart().length;
    if (next.trimStart().startsWith('- ') || next.trim() === '-') {
      if (nextColumn === column) flush += 1;
      else if (nextColumn > column) indented += 1;
    } else if (nextColumn > column) {
      steps.set(nextColumn - column, (steps.get(nextColumn - column) ?? 0) + 1);
    }
  }
  let indent = 2;
  let best = 0;
  for (const [step, count] of steps) {
    if (step >= 2 && step <= 8 && count > best) {
      indent = step;
      best = count;
    }
  }
  // GitHub expressions `${{ x }}` look like padded flow maps; they say nothing about the file's flow style.
  const flowText = text.replace(/\$\{\{.*?\}\}/g, '');
  const singles = (text.match(/(^|[\s:[{,-])'[^'\n]*'/gm) ?? []).length;
  const doubles = (text.match(/(^|[\s:[{,-])"[^"\n]*"/gm) ?? []).length;
  return {
    indent,
    indentSeq: indented >= flush,
    singleQuote: singles > doubles,
    flowPadding: /[[{] \S[^\n]*\S [\]}]/.test(flowText) && !/[[{]\S[^\n]*,/.test(flowText),
  };
}

/** A scalar as it is written inline (a block value's quoting; `flow` adds the quoting flow context needs). */
export function renderScalar(value: unknown, style: YamlStyle, flow = false): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'string') return String(value);
  if (isPlainSafe(value, flow)) return value;
  const plain = stringify(value, { lineWidth: 0, singleQuote: style.singleQuote }).replace(/\n$/, '');
  if (plain.includes('\n')) return JSON.stringify(value);
  if (flow && /^[^'"].*[,[\]{}]|^[[\]{},]/.test(plain)) return style.singleQuote && !value.includes("'") ? `'${value}'` : JSON.stringify(value);
  return plain;
}

/**
 * True when a string can be written without quotes and reads back as the same
 * string: GitHub expressions like `${{ secrets.TOKEN }}` stay unquoted as people write them.
 */
function isPlainSafe(value: string, flow: boolean): boolean {
  if (value === '' || value !== value.trim() || /[\n\t]/.test(value)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(value) || /: | #|:$/.test(value)) return false;
  if (flow && /[,[\]{}]/.test(value)) return false;
  try {
    return parse(value) === value;
  } catch {
    return false;
  }
}

/** A value in flow style (`[a, b]`, `{a: 1}`), for edits inside flow collections. */
export function renderFlow(value: unknown, style: YamlStyle): string {
  const pad = style.flowPadding ? ' ' : '';
  if (Array.isArray(value)) {
    return value.length === 0 ? '[]' : `[${pad}${value.map((v) => renderFlow(v, style)).join(', ')}${pad}]`;
  }
  if (isPlainMap(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return `{${pad}${entries.map(([k, v]) => `${renderScalar(k, style, true)}: ${renderFlow(v, style)}`).join(', ')}${pad}}`;
  }
  return renderScalar(value, style, true);
}

/**
 * `key: value` as block lines, relative to the key's column (column 0 here);
 * the caller indents every line to where it goes.
 */
export function renderPair(key: string, value: unknown, style: YamlStyle): string[] {
  const head = `${renderScalar(key, style)}:`;
  if (typeof value === 'string' && value.includes('\n')) return [`${head} ${blockHeader(value, style.indent)}`, ...blockBody(value, style.indent)];
  if (Array.isArray(value) && value.length > 0) {
    const shift = style.indentSeq ? style.indent : 0;
    return [head, ...value.flatMap((item) => renderItem(item, style)).map((line) => indentLine(line, shift))];
  }
  if (isPlainMap(value) && Object.keys(value).length > 0) {
    return [head, ...Object.entries(value).flatMap(([k, v]) => renderPair(k, v, style)).map((line) => indentLine(line, style.indent))];
  }
  return [`${head} ${renderInline(value, style)}`];
}

/** `- value` as block lines, relative to the dash's column. */
export function renderItem(value: unknown, style: YamlStyle): string[] {
  let lines: string[];
  if (typeof value === 'string' && value.includes('\n')) {
    lines = [blockHeader(value, 2), ...blockBody(value, 2)];
  } else if (isPlainMap(value) && Object.keys(value).length > 0) {
    lines = Object.entries(value).flatMap(([k, v]) => renderPair(k, v, style));
  } else if (Array.isArray(value) && value.length > 0) {
    lines = value.flatMap((item) => renderItem(item, style));
  } else {
    return [`- ${renderInline(value, style)}`];
  }
  return lines.map((line, i) => (i === 0 ? `- ${line}` : indentLine(line, 2)));
}

/** A document's top level: a map's pairs, a sequence's items or a scalar. */
export function renderRoot(value: unknown, style: YamlStyle): string[] {
  if (isPlainMap(value) && Object.keys(value).length > 0) return Object.entries(value).flatMap(([k, v]) => renderPair(k, v, style));
  if (Array.isArray(value) && value.length > 0) return value.flatMap((item) => renderItem(item, style));
  return [renderInline(value, style)];
}

/** A scalar or empty collection in block context (where commas and braces need no quotes). */
function renderInline(value: unknown, style: YamlStyle): string {
  return value !== null && typeof value === 'object' ? renderFlow(value, style) : renderScalar(value, style);
}

/** True for a value rendered on one line after `key: ` (scalars without newlines, empty collections). */
export function isInline(value: unknown): boolean {
  if (typeof value === 'string') return !value.includes('\n');
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainMap(value)) return Object.keys(value).length === 0;
  return true;
}

/** A non-null, non-array object. */
export function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Prefix a line with spaces, leaving empty lines empty (no trailing whitespace). */
export function indentLine(line: string, by: number): string {
  return line === '' ? line : ' '.repeat(by) + line;
}

function blockHeader(value: string, indent: number): string {
  // Content that starts with a space needs the indentation stated in the header.
  const lead = /^\s/.test(value) ? String(indent) : '';
  if (value.endsWith('\n\n')) return `|${lead}+`;
  return value.endsWith('\n') ? `|${lead}` : `|${lead}-`;
}

function blockBody(value: string, indent: number): string[] {
  const body = value.endsWith('\n') ? value.slice(0, -1) : value;
  const lines = value.endsWith('\n\n') ? body.split('\n') : body.replace(/\n+$/, '').split('\n');
  return lines.map((line) => indentLine(line, indent));
}
