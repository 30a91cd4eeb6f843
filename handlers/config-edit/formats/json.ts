/**
 * The JSON format engine (package.json, tsconfig.json and the like): parses
 * with jsonc-parser, which tolerates the comments some JSON configs carry, and
 * applies each operation as jsonc-parser's offset-based edits, formatted the
 * way the file is indented (tabs or spaces, and how many). Everything outside
 * the edited values stays byte for byte, key order and final newline included.
 */
import { applyEdits, findNodeAtLocation, modify, parseTree, printParseErrorCode, type FormattingOptions, type ParseError } from 'jsonc-parser';
import { UserError } from '../../../src/errors.js';
import { formatPath, type EditOp, type FormatEngine } from '../ops.js';

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

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Indentation of the file: the first indented line decides between tabs and spaces, and the width. */
export function detectFormatting(text: string): FormattingOptions {
  const indents = [...text.matchAll(/^([ \t]+)\S/gm)].map((m) => m[1]!);
  const first = indents[0];
  if (first?.startsWith('\t')) return { insertSpaces: false, tabSize: 1, eol: '\n' };
  const widths = indents.filter((i) => !i.includes('\t')).map((i) => i.length);
  const tabSize = widths.length === 0 ? 2 : Math.min(...widths);
  return { insertSpaces: true, tabSize, eol: '\n' };
}

function applyOne(text: string, op: EditOp, file: string, formattingOptions: FormattingOptions): string {
  const path = [...op.path];
  let edits;
  if (op.op === 'insert') {
    const tree = parseTree(text);
    const target = tree && findNodeAtLocation(tree, path);
    if (target === undefined) {
      edits = modify(text, path, [op.value], { formattingOptions });
    } else if (target.type !== 'array') {
      throw new UserError(`${file}: ${formatPath(op.path)} is not a list, so nothing can be inserted into it`, { retryable: false, file });
    } else {
      edits = modify(text, [...path, op.index], op.value, { formattingOptions, isArrayInsertion: true });
    }
  } else {
    edits = modify(text, path, op.op === 'set' ? op.value : undefined, { formattingOptions });
  }
  return applyEdits(text, edits);
}

export const jsonEngine: FormatEngine = {
  kind: 'json',
  parse: parseJson,
  apply(text, ops, file) {
    const formattingOptions = detectFormatting(text);
    let out = text;
    for (const op of ops) out = applyOne(out, op, file, formattingOptions);
    return out;
  },
};
