/**
 * Reading a JS/TS config with ts-morph: the in-memory source file, its syntax
 * errors at file:line:col, the config object literal behind the file's
 * export (or the shape that stands in its place), and that literal as plain
 * data, with code that is not plain data kept as its source text.
 */
import type * as TsMorphTypes from 'ts-morph';
import { UserError } from '../../../src/errors.js';
import { loadTsMorph } from '../../../src/runtime/ts-morph.js';
import { describeShape, lineColumn } from './js-render.js';

const { Node, Project, SyntaxKind } = loadTsMorph();
export type ObjectLiteral = TsMorphTypes.ObjectLiteralExpression;
export type ArrayLiteral = TsMorphTypes.ArrayLiteralExpression;
export type TsNode = TsMorphTypes.Node;

/** A value the engine reads as source text rather than data (a call, a variable, a spread...). */
export interface ExpressionValue {
  $expression: string;
}

let project: TsMorphTypes.Project | undefined;

/** Parse `text` as a source file of the kind `file` names; one in-memory project, no type-checking. */
export function sourceFile(text: string, file: string): TsMorphTypes.SourceFile {
  project ??= new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    skipFileDependencyResolution: true,
    compilerOptions: { allowJs: true, noLib: true },
  });
  const ext = /\.(c|m)?(j|t)s$/.exec(file)?.[0] ?? '.ts';
  return project.createSourceFile(`/config${ext}`, text, { overwrite: true });
}

/** Syntax errors of the file as a UserError at file:line:col. */
export function checkSyntax(sf: TsMorphTypes.SourceFile, text: string, file: string): void {
  // parseDiagnostics is the parser's own list; reading it avoids building a whole Program per edit.
  const diagnostics = (sf.compilerNode as unknown as { parseDiagnostics?: readonly { start?: number; messageText: unknown }[] }).parseDiagnostics ?? [];
  const first = diagnostics[0];
  if (first === undefined) return;
  const { line, column } = lineColumn(text, first.start ?? 0);
  const message = typeof first.messageText === 'string' ? first.messageText : 'syntax error';
  throw new UserError(`${file}:${line}:${column}: ${message}`, {
    retryable: false,
    file,
    hint: `Fix the syntax of ${file} (nothing was changed), then run the task again.`,
  });
}

export type Found = { kind: 'object'; object: ObjectLiteral } | { kind: 'refused'; shape: string };

/** The config object literal of the file, or the shape that stands in its place. */
export function findConfig(sf: TsMorphTypes.SourceFile): Found {
  let exported: { where: string; expression: TsNode } | undefined;
  for (const statement of sf.getStatements()) {
    if (Node.isExportAssignment(statement)) {
      exported = { where: statement.isExportEquals() ? 'export =' : 'export default', expression: statement.getExpression() };
    } else if (Node.isExpressionStatement(statement)) {
      const expression = statement.getExpression();
      if (Node.isBinaryExpression(expression) && expression.getOperatorToken().getKind() === SyntaxKind.EqualsToken) {
        const left = expression.getLeft().getText().replace(/\s+/g, '');
        if (left === 'module.exports' || left === 'exports.default') exported = { where: left, expression: expression.getRight() };
      }
    }
  }
  if (exported === undefined) return { kind: 'refused', shape: 'the file has neither `module.exports = ...` nor `export default ...`' };
  return resolveConfig(sf, exported.expression, exported.where, 0);
}

function resolveConfig(sf: TsMorphTypes.SourceFile, node: TsNode, where: string, depth: number): Found {
  const inner = unwrap(node);
  if (depth > 8) return { kind: 'refused', shape: `${where} leads through too many indirections` };
  if (Node.isObjectLiteralExpression(inner)) return { kind: 'object', object: inner };
  if (Node.isIdentifier(inner)) {
    const declaration = sf.getVariableDeclaration(inner.getText());
    const initializer = declaration?.getInitializer();
    if (initializer === undefined) return { kind: 'refused', shape: `${where} is \`${inner.getText()}\`, which is not bound to a value in this file` };
    return resolveConfig(sf, initializer, `${where} (const ${inner.getText()})`, depth + 1);
  }
  if (Node.isCallExpression(inner)) {
    const callee = inner.getExpression().getText();
    const args = inner.getArguments();
    if (/^define[A-Z]\w*$/.test(callee) && args.length >= 1) return resolveConfig(sf, args[0]!, `${where} (${callee})`, depth + 1);
    if (callee === 'mergeConfig' && args.length >= 2) return resolveConfig(sf, args[args.length - 1]!, `${where} (mergeConfig)`, depth + 1);
    return { kind: 'refused', shape: `${where} is assigned a function call \`${callee}(...)\`` };
  }
  if (Node.isArrowFunction(inner) || Node.isFunctionExpression(inner)) {
    const body = inner.getBody();
    if (body !== undefined && !Node.isBlock(body)) return resolveConfig(sf, body, `${where} (the function's result)`, depth + 1);
    const returns = body === undefined ? [] : body.getStatements().filter(Node.isReturnStatement);
    const value = returns.length === 1 ? returns[0]!.getExpression() : undefined;
    if (value === undefined) return { kind: 'refused', shape: `${where} is a function without a single \`return {...}\`` };
    return resolveConfig(sf, value, `${where} (the function's result)`, depth + 1);
  }
  return { kind: 'refused', shape: `${where} is ${describeShape(inner.getKindName(), inner.getText())}` };
}

/** Strip parentheses, `as`, `satisfies`, `<T>` and `!`: they do not change the config. */
function unwrap(node: TsNode): TsNode {
  let current = node;
  for (;;) {
    if (Node.isParenthesizedExpression(current) || Node.isAsExpression(current) || Node.isSatisfiesExpression(current) || Node.isTypeAssertion(current) || Node.isNonNullExpression(current)) {
      current = current.getExpression();
    } else if (Node.isAwaitExpression(current)) {
      current = current.getExpression();
    } else return current;
  }
}


export function propertyKey(property: TsNode): string | undefined {
  if (Node.isSpreadAssignment(property)) return `...${property.getExpression().getText()}`;
  if (!(Node.isPropertyAssignment(property) || Node.isShorthandPropertyAssignment(property) || Node.isMethodDeclaration(property) || Node.isGetAccessorDeclaration(property) || Node.isSetAccessorDeclaration(property))) {
    return undefined;
  }
  const name = property.getNameNode();
  if (Node.isStringLiteral(name) || Node.isNoSubstitutionTemplateLiteral(name)) return name.getLiteralValue();
  if (Node.isNumericLiteral(name)) return String(name.getLiteralValue());
  if (Node.isComputedPropertyName(name)) return name.getText();
  return name.getText();
}

/** The data of an expression: literals, arrays and object literals; anything else as its source text. */
export function toData(node: TsNode): unknown {
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralValue();
  if (Node.isNumericLiteral(node)) return node.getLiteralValue();
  if (Node.isPrefixUnaryExpression(node) && node.getOperatorToken() === SyntaxKind.MinusToken && Node.isNumericLiteral(node.getOperand())) {
    return -(node.getOperand() as TsMorphTypes.NumericLiteral).getLiteralValue();
  }
  if (node.getKind() === SyntaxKind.TrueKeyword) return true;
  if (node.getKind() === SyntaxKind.FalseKeyword) return false;
  if (node.getKind() === SyntaxKind.NullKeyword) return null;
  if (Node.isArrayLiteralExpression(node)) return node.getElements().map(toData);
  if (Node.isObjectLiteralExpression(node)) {
    const out: Record<string, unknown> = {};
    for (const property of node.getProperties()) {
      const key = propertyKey(property);
      if (key === undefined) continue;
      const value = Node.isPropertyAssignment(property) ? toData(property.getInitializerOrThrow()) : { $expression: property.getText() };
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return { $expression: node.getText() } satisfies ExpressionValue;
}
