/**
 * Writing data as JavaScript source in a config file's own style: its quote
 * character, trailing commas, indentation unit and key quoting. Pure text
 * functions, kept apart from the ts-morph code of js-config.ts; what is
 * written here is read back by that engine and must give the same data.
 */
import { isExpressionValue } from '../ops.js';

/** How a file writes its literals, detected from the file (see detectStyle in js-config.ts). */
export interface Style {
  quote: "'" | '"';
  trailingComma: boolean;
  /** One level of indentation: a tab or some spaces. */
  unit: string;
  /** Whether keys that need no quotes are quoted anyway (`"testEnvironment": ...`). */
  quoteKeys: boolean;
}

/** Lines longer than this are split: prettier's default, which most configs follow. */
export const PRINT_WIDTH = 80;

/** A string literal in the file's quote character. */
export function quoteString(text: string, quote: Style['quote']): string {
  if (quote === '"') return JSON.stringify(text);
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
    .replaceAll(quote, `\\${quote}`);
  return `${quote}${escaped}${quote}`;
}

/** A property name: bare when JavaScript allows it, quoted otherwise. */
export function renderKey(key: string, style: Style): string {
  const bare = /^[A-Za-z_$][\w$]*$/.test(key);
  return bare && !style.quoteKeys ? key : quoteString(key, style.quote);
}

/**
 * `value` as source text. `indent` is the indentation of the line the value
 * starts on; `lead` the number of characters before it on that line, used to
 * decide whether a list of scalars fits on one line. `inline` writes objects
 * and lists on one line too, for a value joining a one-line object or list.
 */
export function renderValue(value: unknown, indent: string, style: Style, lead = indent.length + 20, inline = false): string {
  if (isExpressionValue(value)) return value.$expression;
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return quoteString(value, style.quote);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${value} cannot be written in a config file`);
    return Object.is(value, -0) ? '0' : String(value);
  }
  if (typeof value === 'boolean') return String(value);
  const inner = indent + style.unit;
  const comma = style.trailingComma ? ',' : '';
  if (inline) return renderInline(value, style);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const scalars = value.every((item) => item === null || typeof item !== 'object' || isExpressionValue(item));
    if (scalars) {
      const inline = `[${value.map((item) => renderValue(item, inner, style)).join(', ')}]`;
      if (lead + inline.length + 1 <= PRINT_WIDTH) return inline;
    }
    const items = value.map((item) => `${inner}${renderValue(item, inner, style, inner.length)}`);
    return `[\n${items.join(',\n')}${comma}\n${indent}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([key, v]) => {
      const head = `${inner}${renderKey(key, style)}: `;
      return `${head}${renderValue(v, inner, style, head.length)}`;
    });
    return `{\n${lines.join(',\n')}${comma}\n${indent}}`;
  }
  throw new Error(`a ${typeof value} cannot be written in a config file`);
}

/** An object or list on one line: `{ lines: 85 }`, `['a', 'b']`. */
function renderInline(value: unknown, style: Style): string {
  if (Array.isArray(value)) return `[${value.map((item) => renderValue(item, '', style, 0, true)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{ ${entries.map(([key, v]) => `${renderKey(key, style)}: ${renderValue(v, '', style, 0, true)}`).join(', ')} }`;
}

/** What stands where the config object was expected, in words, for the refusal. */
export function describeShape(kindName: string, text: string): string {
  const one = text.replace(/\s+/g, ' ');
  const shown = one.length > 50 ? `${one.slice(0, 47)}...` : one;
  const words: Record<string, string> = {
    ArrayLiteralExpression: 'an array',
    ConditionalExpression: 'a conditional expression',
    BinaryExpression: 'an expression',
    PropertyAccessExpression: 'a property of another object',
    ClassExpression: 'a class',
  };
  return `${words[kindName] ?? 'an expression'} \`${shown}\``;
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
