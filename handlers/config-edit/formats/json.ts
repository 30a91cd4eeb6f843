/**
 * The JSON format engine (package.json, tsconfig.json and the like): parses
 * with jsonc-parser, which tolerates the comments some JSON configs carry, and
 * applies each operation as a splice at the parse tree's offsets, written the
 * way the file is indented (tabs or spaces, and how many). Everything outside
 * the edited values stays byte for byte, key order and final newline included.
 * The splicing is splice.ts's, as for JS configs: jsonc-parser's own `modify`
 * with formatting re-indents every line an edit touches (an inline list
 * becomes one item per line), which is exactly the collateral change users
 * hate, so only its parser and node offsets are used.
 */
// The ESM build: the package's main is a UMD build whose internal require()s
// esbuild cannot follow, so the bundled CLI failed with "Cannot find module
// './impl/format'" (esbuild#1619, node-jsonc-parser#57).
import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import { UserError } from '../../../src/errors.js';
import { formatPath, type DataPath, type EditOp, type FormatEngine } from '../ops.js';
import { lineColumn, renderKey, renderValue, type Style } from './js-render.js';
import { appendMember, applySplice, insertMember, lineIndent, removeMember, type Container, type Splice } from './splice.js';

/** The parsed value of JSON text; a syntax error is a UserError at file:line:col. */
function parseJson(text: string, file: string): unknown {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  const first = errors[0];
  if (first !== undefined || tree === undefined) {
    const offset = first?.offset ?? 0;
    const { line, column } = lineColumn(text, offset);
    const what = first === undefined ? 'the file is empty' : describeError(printParseErrorCode(first.error));
    throw new UserError(`${file}:${line}:${column}: ${what}`, {
      retryable: false,
      file,
      hint: `Fix the JSON syntax of ${file} (nothing was changed), then run the task again.`,
    });
  }
  return nodeValue(tree);
}

/** The value of a parse tree node; unlike getNodeValue, keys like __proto__ stay plain data. */
function nodeValue(node: NonNullable<ReturnType<typeof parseTree>>): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key === undefined || value === undefined) continue;
        Object.defineProperty(out, String(key.value), { value: nodeValue(value), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value as unknown;
  }
}

function describeError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'malformed number',
    PropertyNameExpected: 'a property name in double quotes was expected',
    ValueExpected: 'a value was expected',
    ColonExpected: 'a ":" was expected',
    CommaExpected: 'a "," was expected',
    CloseBraceExpected: 'a "}" was expected',
    CloseBracketExpected: 'a "]" was expected',
    EndOfFileExpected: 'the file should end here',
    UnexpectedEndOfComment: 'a comment is not closed',
    UnexpectedEndOfString: 'a string is not closed',
    UnexpectedEndOfNumber: 'a number is cut short',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in a string',
  };
  return `JSON syntax error: ${words[code] ?? code}`;
}

/** How JSON is written: double quotes, no trailing commas, the file's own indentation. */
export function jsonStyle(text: string): Style {
  const indents = [...text.matchAll(/^([ \t]+)\S/gm)].map((m) => m[1]!);
  if (indents[0]?.startsWith('\t')) return { quote: '"', quoteKeys: true, trailingComma: false, unit: '\t' };
  const widths = indents.filter((i) => !i.includes('\t')).map((i) => i.length);
  return { quote: '"', quoteKeys: true, trailingComma: false, unit: ' '.repeat(widths.length === 0 ? 2 : Math.min(...widths)) };
}

type JsonNode = NonNullable<ReturnType<typeof parseTree>>;

function container(node: JsonNode): Container {
  const members = (node.children ?? []).map((child) => ({ start: child.offset, end: child.offset + child.length }));
  return { open: node.offset, close: node.offset + node.length - 1, members };
}

/** The child of an object (the property node) or array (the item node) at a data key. */
function memberIndex(node: JsonNode, key: string | number): number {
  const children = node.children ?? [];
  if (node.type === 'array') return typeof key === 'number' && key < children.length ? key : -1;
  // The last property of a name wins, as in JSON.parse and nodeValue.
  for (let i = children.length - 1; i >= 0; i -= 1) if (children[i]!.children?.[0]?.value === String(key)) return i;
  return -1;
}

function valueOf(node: JsonNode, index: number): JsonNode {
  const child = node.children![index]!;
  return node.type === 'object' ? child.children![1]! : child;
}

function nest(path: DataPath, value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}

function notContainer(file: string, path: DataPath, what: string): UserError {
  return new UserError(`${file}: ${formatPath(path)} ${what}`, {
    retryable: false,
    file,
    hint: 'Point the edit at an object or a list of the file.',
  });
}

/** The splice of one operation into JSON text. */
function planSplice(text: string, op: EditOp, file: string, style: Style): Splice | undefined {
  let node = parseTree(text)!;
  const steps = op.path;
  const walk = op.op === 'insert' ? steps.length : steps.length - 1;
  const property = (key: string, value: unknown) => (indent: string, inline: boolean) => `${renderKey(key, style)}: ${renderValue(value, indent, style, undefined, inline)}`;
  for (let i = 0; i < walk; i += 1) {
    const step = steps[i]!;
    const index = node.type === 'object' || node.type === 'array' ? memberIndex(node, step) : -1;
    if (index < 0) {
      if (op.op === 'delete') return undefined;
      if (node.type !== 'object') throw notContainer(file, steps.slice(0, i), 'is not an object, so no key can be added to it');
      const value = op.op === 'insert' ? nest(steps.slice(i + 1), [op.value]) : nest(steps.slice(i + 1), op.value);
      return appendMember(text, container(node), property(String(step), value), style);
    }
    node = valueOf(node, index);
  }
  if (op.op === 'insert') {
    if (node.type !== 'array') throw notContainer(file, op.path, 'is not a list, so nothing can be inserted into it');
    return insertMember(text, container(node), op.index, (indent, inline) => renderValue(op.value, indent, style, undefined, inline), style);
  }
  const key = steps[steps.length - 1];
  if (key === undefined) throw notContainer(file, steps, 'is the whole file; edit keys inside it instead');
  if (node.type !== 'object' && node.type !== 'array') throw notContainer(file, steps.slice(0, -1), 'is not an object or a list');
  const index = memberIndex(node, key);
  if (op.op === 'delete') return index < 0 ? undefined : removeMember(text, container(node), index);
  if (index < 0) {
    if (node.type === 'object') return appendMember(text, container(node), property(String(key), op.value), style);
    return insertMember(text, container(node), Number(key), (indent, inline) => renderValue(op.value, indent, style, undefined, inline), style);
  }
  const target = valueOf(node, index);
  const indent = lineIndent(text, node.children![index]!.offset);
  return { start: target.offset, end: target.offset + target.length, text: renderValue(op.value, indent, style) };
}

export const jsonEngine: FormatEngine = {
  kind: 'json',
  parse: parseJson,
  apply(text, ops, file) {
    const style = jsonStyle(text);
    let out = text;
    for (const op of ops) out = applySplice(out, planSplice(out, op, file, style));
    return out;
  },
};
