/**
 * The arguments of an example call, as source a generated test can repeat:
 * literals (strings normalised to double quotes), arithmetic on numbers,
 * arrays and objects of those, and functions that use nothing but their own
 * parameters and locals and a few globals. Anything that reads a variable of
 * the snippet it came from is refused, since the test would not have it.
 */
import type { ts as Ts } from 'ts-morph';

type TsApi = typeof Ts;

/** Globals an example's function may use: they mean the same thing in any test. */
const SAFE_GLOBALS = new Set(['undefined', 'NaN', 'Infinity', 'Math', 'Number', 'String', 'Boolean', 'Array', 'Object', 'JSON', 'Date', 'RegExp', 'Error', 'TypeError', 'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'Promise', 'Symbol', 'BigInt']);
const MAX_ARGUMENT = 200;

/** An argument as source a test can repeat, or undefined when it depends on the snippet's own variables. */
export function renderArgument(ts: TsApi, node: Ts.Expression): string | undefined {
  const text = render(ts, node);
  return text !== undefined && text.length <= MAX_ARGUMENT ? text : undefined;
}

function render(ts: TsApi, node: Ts.Expression): string | undefined {
  const ARITHMETIC = new Set<Ts.SyntaxKind>([ts.SyntaxKind.PlusToken, ts.SyntaxKind.MinusToken, ts.SyntaxKind.AsteriskToken, ts.SyntaxKind.SlashToken, ts.SyntaxKind.AsteriskAsteriskToken]);
  if (ts.isParenthesizedExpression(node)) {
    const inner = render(ts, node.expression);
    return inner !== undefined && ts.isBinaryExpression(node.expression) ? `(${inner})` : inner;
  }
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return JSON.stringify(node.text);
  if (ts.isNumericLiteral(node) || ts.isBigIntLiteral(node) || ts.isRegularExpressionLiteral(node)) return node.getText();
  if (node.kind === ts.SyntaxKind.TrueKeyword) return 'true';
  if (node.kind === ts.SyntaxKind.FalseKeyword) return 'false';
  if (node.kind === ts.SyntaxKind.NullKeyword) return 'null';
  if (ts.isIdentifier(node)) return ['undefined', 'NaN', 'Infinity'].includes(node.text) ? node.text : undefined;
  if (ts.isPrefixUnaryExpression(node) && (node.operator === ts.SyntaxKind.MinusToken || node.operator === ts.SyntaxKind.PlusToken)) {
    const inner = render(ts, node.operand);
    return inner !== undefined && /^[\d.]|^Infinity$/.test(inner) ? `${node.operator === ts.SyntaxKind.MinusToken ? '-' : '+'}${inner}` : undefined;
  }
  // `2 * 60000`: arithmetic on numbers is as self-contained as its result.
  if (ts.isBinaryExpression(node) && ARITHMETIC.has(node.operatorToken.kind)) {
    const left = render(ts, node.left);
    const right = render(ts, node.right);
    return left !== undefined && right !== undefined && [left, right].every((side) => /^[-+]?[\d.(]/.test(side)) ? `${left} ${node.operatorToken.getText()} ${right}` : undefined;
  }
  if (ts.isArrayLiteralExpression(node)) {
    const items = node.elements.map((element) => (ts.isSpreadElement(element) || ts.isOmittedExpression(element) ? undefined : render(ts, element)));
    return items.every((item) => item !== undefined) ? `[${items.join(', ')}]` : undefined;
  }
  if (ts.isObjectLiteralExpression(node)) {
    const entries: string[] = [];
    for (const property of node.properties) {
      if (!ts.isPropertyAssignment(property) || ts.isComputedPropertyName(property.name) || ts.isPrivateIdentifier(property.name)) return undefined;
      const key = ts.isIdentifier(property.name) || ts.isNumericLiteral(property.name) ? property.name.text : JSON.stringify(property.name.text);
      const value = render(ts, property.initializer);
      if (value === undefined) return undefined;
      entries.push(`${key}: ${value}`);
    }
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && selfContained(ts, node)) return printed(ts, node);
  return undefined;
}

/** Whether a function uses only its own parameters and locals, and safe globals; written without type annotations (a .js test must parse it). */
function selfContained(ts: TsApi, fn: Ts.ArrowFunction | Ts.FunctionExpression): boolean {
  if (fn.typeParameters || fn.type || fn.asteriskToken || fn.modifiers?.length) return false;
  const declared = new Set<string>();
  let ok = true;
  const collect = (node: Ts.Node): void => {
    if ((ts.isParameter(node) || ts.isVariableDeclaration(node) || ts.isBindingElement(node)) && ts.isIdentifier(node.name)) declared.add(node.name.text);
    if (ts.isParameter(node) && node.type) ok = false;
    if (ts.isFunctionDeclaration(node) && node.name) declared.add(node.name.text);
    ts.forEachChild(node, collect);
  };
  collect(fn);
  const check = (node: Ts.Node): void => {
    if (!ok) return;
    if (node.kind === ts.SyntaxKind.ThisKeyword || ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node) || ts.isAwaitExpression(node)) ok = false;
    else if (ts.isIdentifier(node) && !declared.has(node.text) && !SAFE_GLOBALS.has(node.text) && !isNamePosition(ts, node)) ok = false;
    ts.forEachChild(node, check);
  };
  check(fn);
  return ok;
}

/** An identifier that names a property or a declaration rather than reading a variable. */
function isNamePosition(ts: TsApi, node: Ts.Identifier): boolean {
  const parent = node.parent;
  if ((ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent)) && parent.name === node) return true;
  if (ts.isBindingElement(parent) && parent.propertyName === node) return true;
  return (ts.isParameter(parent) || ts.isVariableDeclaration(parent) || ts.isBindingElement(parent) || ts.isFunctionDeclaration(parent) || ts.isFunctionExpression(parent)) && parent.name === node;
}

/** The function on one line, so it reads well in a test's name and fits in a call. */
function printed(ts: TsApi, node: Ts.Node): string {
  const flat = (n: Ts.Node): void => {
    ts.setEmitFlags(n, ts.EmitFlags.SingleLine);
    ts.forEachChild(n, flat);
  };
  flat(node);
  const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
  return printer.printNode(ts.EmitHint.Expression, node, node.getSourceFile()).replace(/\s*\n\s*/g, ' ');
}
