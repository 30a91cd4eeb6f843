/**
 * The JS/TS config engine (jest.config.*, vitest.config.*, vite.config.*).
 * It finds the config object literal behind `module.exports = ...` or
 * `export default ...` (through defineConfig, mergeConfig, an arrow function
 * returning the object, a const bound to it, `as`/`satisfies`), reads it into
 * plain data, and applies operations by splicing text into that literal:
 * new properties in the file's own quotes, trailing commas and indentation,
 * replaced values replacing only their own text, deletions taking their line.
 *
 * A config of any other shape parses as an empty object, so that the action
 * can still work out what it would add; `apply` then refuses with a UserError
 * naming the shape found and showing those additions as a patch to make by
 * hand. ts-morph is heavy: this module is only imported when a JS/TS config
 * is edited (see engineFor in edit.ts), and it loads ts-morph itself then.
 */
import type * as TsMorphTypes from 'ts-morph';
import { UserError } from '../../../src/errors.js';
import { loadTsMorph } from '../../../src/runtime/ts-morph.js';
import { applyOpsToData, formatPath, type DataPath, type EditOp, type FormatEngine } from '../ops.js';
import { checkSyntax, findConfig, propertyKey, sourceFile, toData, type ArrayLiteral, type ObjectLiteral, type TsNode } from './js-config-read.js';
import { renderKey, renderValue, type Style } from './js-render.js';
import { appendMember, applySplice, commaAfter, insertMember, lineIndent, removeMember, type Container, type Splice } from './splice.js';

const { Node, SyntaxKind } = loadTsMorph();

function refuse(file: string, shape: string, ops: readonly EditOp[], style: Style): never {
  // The action planned against an empty config, so its operations applied to {} are exactly what to add.
  const additions = applyOpsToData({}, ops.filter((op) => op.op !== 'delete')) as Record<string, unknown>;
  const lines = Object.entries(additions).map(([key, value]) => `${renderKey(key, style)}: ${renderValue(value, '', style)},`);
  throw new UserError(`${file}: cannot edit this config: ${shape}; orchestrate edits a config object literal it can see`, {
    retryable: false,
    file,
    hint: `Nothing was changed. Add these properties to the config object by hand (keeping any already there):\n${lines.join('\n').replace(/^/gm, '    ')}`,
  });
}

/** The splice that applies one operation to the config literal `root` of `text`. */
function planSplice(text: string, root: ObjectLiteral, op: EditOp, file: string, style: Style): Splice | undefined {
  let node: ObjectLiteral | ArrayLiteral = root;
  const steps = op.path;
  const lastIndex = op.op === 'insert' ? steps.length : steps.length - 1;
  for (let i = 0; i < lastIndex; i += 1) {
    const step = steps[i]!;
    const child = memberOf(node, step);
    if (child === undefined) {
      if (op.op !== 'set' || !Node.isObjectLiteralExpression(node)) {
        if (op.op === 'delete') return undefined;
        if (op.op === 'insert' && Node.isObjectLiteralExpression(node)) {
          return insertProperty(text, node, String(step), nest(steps.slice(i + 1), [op.value]), style);
        }
        throw notLiteral(file, steps.slice(0, i + 1), 'does not exist');
      }
      return insertProperty(text, node, String(step), nest(steps.slice(i + 1), op.value), style);
    }
    const value = unwrapValue(child);
    if (!Node.isObjectLiteralExpression(value) && !Node.isArrayLiteralExpression(value)) {
      throw notLiteral(file, steps.slice(0, i + 1), `is \`${clip(value.getText())}\`, not an object or array literal`);
    }
    node = value;
  }
  if (op.op === 'insert') {
    if (!Node.isArrayLiteralExpression(node)) throw notLiteral(file, op.path, 'is not an array');
    return insertElement(text, node, op.index, op.value, style);
  }
  const key = steps[steps.length - 1];
  if (key === undefined) throw notLiteral(file, steps, 'is the whole config; replace keys inside it instead');
  const member = memberOf(node, key);
  if (op.op === 'delete') return member === undefined ? undefined : removeNode(text, node, member);
  if (member === undefined) {
    if (Node.isObjectLiteralExpression(node)) return insertProperty(text, node, String(key), op.value, style);
    if (typeof key === 'number' && key === node.getElements().length) return insertElement(text, node, key, op.value, style);
    throw notLiteral(file, steps, 'does not exist');
  }
  const indent = lineIndent(text, member.getStart());
  if (Node.isPropertyAssignment(member)) {
    const initializer = member.getInitializerOrThrow();
    return { start: initializer.getStart(), end: initializer.getEnd(), text: renderValue(op.value, indent, style) };
  }
  if (Node.isObjectLiteralExpression(node)) {
    return { start: member.getStart(), end: member.getEnd(), text: `${renderKey(String(key), style)}: ${renderValue(op.value, indent, style)}` };
  }
  return { start: member.getStart(), end: member.getEnd(), text: renderValue(op.value, indent, style) };
}

/** `value` wrapped in objects for the keys of `path` that do not exist yet. */
function nest(path: DataPath, value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}

function notLiteral(file: string, path: DataPath, why: string): UserError {
  return new UserError(`${file}: ${formatPath(path)} ${why}, so orchestrate cannot edit inside it`, {
    retryable: false,
    file,
    hint: 'Write that part of the config as a literal object or array, or make the change by hand.',
  });
}

function clip(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}

function unwrapValue(member: TsNode): TsNode {
  return Node.isPropertyAssignment(member) ? member.getInitializerOrThrow() : member;
}

/** The member (property or element) of a literal at a data key. */
function memberOf(node: ObjectLiteral | ArrayLiteral, key: string | number): TsNode | undefined {
  if (Node.isArrayLiteralExpression(node)) return typeof key === 'number' ? node.getElements()[key] : undefined;
  // The last property of a name wins, as in JavaScript and in toData.
  const matches = node.getProperties().filter((p) => propertyKey(p) === String(key));
  return matches[matches.length - 1];
}


/** The brackets and members of a literal, as splice.ts sees them. */
function container(node: ObjectLiteral | ArrayLiteral): Container {
  const members: TsNode[] = Node.isObjectLiteralExpression(node) ? node.getProperties() : node.getElements();
  return { open: node.getStart(), close: node.getEnd() - 1, members: members.map((m) => ({ start: m.getStart(), end: m.getEnd() })) };
}

function insertProperty(text: string, object: ObjectLiteral, key: string, value: unknown, style: Style): Splice {
  return appendMember(text, container(object), (indent, inline) => `${renderKey(key, style)}: ${renderValue(value, indent, style, undefined, inline)}`, style);
}

function insertElement(text: string, array: ArrayLiteral, index: number, value: unknown, style: Style): Splice {
  return insertMember(text, container(array), index, (indent, inline) => renderValue(value, indent, style, undefined, inline), style);
}

function removeNode(text: string, node: ObjectLiteral | ArrayLiteral, member: TsNode): Splice | undefined {
  const members: TsNode[] = Node.isObjectLiteralExpression(node) ? node.getProperties() : node.getElements();
  return removeMember(text, container(node), members.indexOf(member));
}

/** The file's quotes, trailing commas, indentation unit and key quoting, by majority. */
function detectStyle(sf: TsMorphTypes.SourceFile, text: string): Style {
  let single = 0;
  let double = 0;
  for (const literal of sf.getDescendantsOfKind(SyntaxKind.StringLiteral)) {
    if (literal.getText().startsWith("'")) single += 1;
    else double += 1;
  }
  let withComma = 0;
  let withoutComma = 0;
  const literals: (ObjectLiteral | ArrayLiteral)[] = [
    ...sf.getDescendantsOfKind(SyntaxKind.ObjectLiteralExpression),
    ...sf.getDescendantsOfKind(SyntaxKind.ArrayLiteralExpression),
  ];
  for (const literal of literals) {
    const members: TsNode[] = Node.isObjectLiteralExpression(literal) ? literal.getProperties() : literal.getElements();
    const last = members[members.length - 1];
    if (last === undefined || !text.slice(last.getEnd(), literal.getEnd()).includes('\n')) continue;
    if (commaAfter(text, last.getEnd()).hasComma) withComma += 1;
    else withoutComma += 1;
  }
  let quotedKeys = 0;
  let bareKeys = 0;
  for (const property of sf.getDescendantsOfKind(SyntaxKind.PropertyAssignment)) {
    const name = property.getNameNode();
    if (Node.isIdentifier(name)) bareKeys += 1;
    else if (Node.isStringLiteral(name) && /^[A-Za-z_$][\w$]*$/.test(name.getLiteralValue())) quotedKeys += 1;
  }
  const indents = text.split('\n').flatMap((line) => {
    const m = /^([ \t]+)[^\s*]/.exec(line);
    return m === null ? [] : [m[1]!];
  });
  const spaces = indents.filter((i) => !i.includes('\t')).map((i) => i.length);
  const tabs = indents.filter((i) => i.startsWith('\t')).length;
  return {
    quote: double > single ? '"' : "'",
    trailingComma: withComma >= withoutComma,
    unit: tabs > spaces.length ? '\t' : ' '.repeat(spaces.length === 0 ? 2 : Math.min(...spaces)),
    quoteKeys: quotedKeys > bareKeys,
  };
}

export const jsConfigEngine: FormatEngine = {
  kind: 'js',
  parse(text, file) {
    const sf = sourceFile(text, file);
    checkSyntax(sf, text, file);
    const found = findConfig(sf);
    return found.kind === 'object' ? toData(found.object) : {};
  },
  apply(text, ops, file) {
    let out = text;
    for (const op of ops) {
      const sf = sourceFile(out, file);
      const found = findConfig(sf);
      const style = detectStyle(sf, out);
      if (found.kind === 'refused') refuse(file, found.shape, ops, style);
      out = applySplice(out, planSplice(out, found.object, op, file, style));
    }
    return out;
  },
};
