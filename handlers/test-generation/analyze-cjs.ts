/**
 * What a CommonJS module exports, read from its syntax: `module.exports =
 * { a, b: fn, c() {} }`, `module.exports = fn` (or a class, or an ES5 class:
 * a function with `X.prototype.m = function ...`), `exports.x = ...`,
 * `module.exports.x = ...`, members set on a function exported as the whole
 * module (`fn.parse = ...`), `Object.assign(module.exports, {...})` and
 * enumerable `Object.defineProperty(exports, 'x', ...)`. Identifiers are
 * resolved to their declarations in the same file. A value exported as the
 * whole module is named `default`: tests reach it as `subject.default`.
 */
import type * as TsMorph from 'ts-morph';
import type { ClassInfo, ConstInfo, FunctionInfo, MethodInfo, ModuleAnalysis } from './types.js';

type Morph = typeof TsMorph;
type Callable = TsMorph.FunctionDeclaration | TsMorph.FunctionExpression | TsMorph.ArrowFunction | TsMorph.MethodDeclaration;
type ClassNode = TsMorph.ClassDeclaration | TsMorph.ClassExpression;

/** How the caller reads a function's signature and a class, so both kinds of module are read alike. */
export interface CommonJsReaders {
  callable: (node: Callable) => Omit<FunctionInfo, 'name'>;
  classInfo: (name: string, node: ClassNode) => ClassInfo;
}

type Resolved =
  | { kind: 'function'; node: Callable; local: string | undefined }
  | { kind: 'class'; node: ClassNode }
  | { kind: 'es5-class'; node: Callable; local: string }
  | { kind: 'object'; node: TsMorph.ObjectLiteralExpression; local: string | undefined }
  | { kind: 'value'; node: TsMorph.Node | undefined }
  | { kind: 'elsewhere' };

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Whether the file is a CommonJS module: `.cjs`, or a script without import/export that assigns `module.exports` or `exports.x`. */
export function isCommonJs(fileName: string, file: TsMorph.SourceFile, morph: Morph): boolean {
  if (/\.cjs$/.test(fileName)) return true;
  if (!/\.jsx?$/.test(fileName)) return false;
  if (file.getImportDeclarations().length > 0 || file.getExportDeclarations().length > 0 || file.getExportAssignments().length > 0) return false;
  if (file.getStatements().some((s) => morph.Node.isExportable(s) && s.hasExportKeyword())) return false;
  return /\bmodule\.exports\b|\bexports\.[A-Za-z_$][\w$]*\s*=|defineProperty\(\s*(module\.)?exports\b/.test(file.getFullText());
}

/** Fill `result` with what the CommonJS module exports, and mark it `cjs`. */
export function analyzeCommonJs(file: TsMorph.SourceFile, morph: Morph, result: ModuleAnalysis, readers: CommonJsReaders): void {
  const { Node, SyntaxKind } = morph;
  result.format = 'cjs';

  // Assignments at the top level, in order: `target = value` (chains like `exports = module.exports = fn` split).
  const assignments: { target: TsMorph.Node; value: TsMorph.Node }[] = [];
  /** `Object.assign(target, {...})` and `Object.defineProperty(target, 'x', {...})`. */
  const merges: { target: TsMorph.Node; value: TsMorph.ObjectLiteralExpression }[] = [];
  const defines: { target: TsMorph.Node; name: string; descriptor: TsMorph.ObjectLiteralExpression }[] = [];
  for (const statement of file.getStatements()) {
    if (!Node.isExpressionStatement(statement)) continue;
    const expression = statement.getExpression();
    if (Node.isBinaryExpression(expression) && expression.getOperatorToken().getKind() === SyntaxKind.EqualsToken) {
      const targets: TsMorph.Node[] = [];
      let value: TsMorph.Node = expression;
      while (Node.isBinaryExpression(value) && value.getOperatorToken().getKind() === SyntaxKind.EqualsToken) {
        targets.push(value.getLeft());
        value = value.getRight();
      }
      for (const target of targets) assignments.push({ target, value });
    } else if (Node.isCallExpression(expression)) {
      const callee = expression.getExpression().getText();
      const [target, second, third] = expression.getArguments();
      if (callee === 'Object.assign' && target) {
        for (const source of expression.getArguments().slice(1)) if (Node.isObjectLiteralExpression(source)) merges.push({ target, value: source });
      } else if (callee === 'Object.defineProperty' && target && second && Node.isStringLiteral(second) && third && Node.isObjectLiteralExpression(third)) {
        defines.push({ target, name: second.getLiteralValue(), descriptor: third });
      }
    }
  }

  // ES5 classes: functions given prototype methods (`X.prototype.m = function`, `X.prototype = {...}`, `Object.assign(X.prototype, {...})`).
  const prototypes = new Map<string, Map<string, TsMorph.Node>>();
  const statics = new Map<string, Map<string, TsMorph.Node>>();
  const protoOf = (local: string) => prototypes.get(local) ?? prototypes.set(local, new Map()).get(local) as Map<string, TsMorph.Node>;
  for (const { target, value } of assignments) {
    const path = memberPath(target);
    if (path?.length === 3 && path[1] === 'prototype') protoOf(path[0] as string).set(path[2] as string, value);
    else if (path?.length === 2 && path[1] === 'prototype' && Node.isObjectLiteralExpression(value)) objectMembers(value).forEach((v, k) => protoOf(path[0] as string).set(k, v));
    else if (path?.length === 2 && path[0] !== 'module' && path[0] !== 'exports') {
      const own = statics.get(path[0] as string) ?? new Map<string, TsMorph.Node>();
      own.set(path[1] as string, value);
      statics.set(path[0] as string, own);
    }
  }
  for (const { target, value } of merges) {
    const path = memberPath(target);
    if (path?.length === 2 && path[1] === 'prototype') objectMembers(value).forEach((v, k) => protoOf(path[0] as string).set(k, v));
  }

  // The whole module, then the names set on it.
  let whole: Resolved | undefined;
  let wholeLocal: string | undefined;
  for (const { target, value } of assignments) {
    if (target.getText() !== 'module.exports') continue;
    whole = resolve(value, 0);
    wholeLocal = Node.isIdentifier(value) ? value.getText() : 'local' in whole ? whole.local : undefined;
  }
  if (whole !== undefined) {
    if (whole.kind === 'object') objectMembers(whole.node).forEach((value, name) => add(name, resolve(value, 0)));
    else if (whole.kind === 'function' || whole.kind === 'class' || whole.kind === 'es5-class') {
      add('default', whole);
      result.defaultExport = whole.kind === 'function' ? 'function' : 'class';
    } else if (whole.kind === 'value') add('default', whole);
  }
  const wholeIsClass = whole?.kind === 'es5-class';
  for (const { target, value } of assignments) {
    const path = memberPath(target);
    if (path?.length !== 2 && path?.length !== 3) continue;
    const named = path.length === 3 && path[0] === 'module' && path[1] === 'exports' ? path[2]
      : path.length === 2 && (path[0] === 'exports' || (path[0] === wholeLocal && !wholeIsClass)) ? path[1]
      : undefined;
    if (named !== undefined) add(named, resolve(value, 0));
  }
  for (const { target, value } of merges) {
    if (/^(module\.)?exports$/.test(target.getText())) objectMembers(value).forEach((v, name) => add(name, resolve(v, 0)));
  }
  for (const { target, name, descriptor } of defines) defineProperty(target, name, descriptor);

  function defineProperty(target: TsMorph.Node, name: string, descriptor: TsMorph.ObjectLiteralExpression): void {
    if (!/^(module\.)?exports$/.test(target.getText())) return;
    const members = objectMembers(descriptor);
    // Object.assign (how tests bind `subject`) copies enumerable properties only.
    if (members.get('enumerable')?.getText() !== 'true') return;
    const value = members.get('value');
    const getter = members.get('get');
    if (value) add(name, resolve(value, 0));
    else if (getter && (Node.isFunctionExpression(getter) || Node.isArrowFunction(getter) || Node.isMethodDeclaration(getter))) {
      const body = getter.getBody();
      const returned = body && Node.isBlock(body) ? body.getStatements().find((s) => Node.isReturnStatement(s))?.asKind(SyntaxKind.ReturnStatement)?.getExpression() : body;
      add(name, returned ? resolve(returned, 0) : { kind: 'value', node: undefined });
    }
  }

  function add(name: string, value: Resolved): void {
    // `default` is how tests reach the whole module; a member of that name would be hidden by it.
    if (!IDENTIFIER.test(name) || (name === 'default' && value !== whole)) return;
    switch (value.kind) {
      case 'function':
        result.functions.push({ name, ...readers.callable(value.node) });
        return;
      case 'class':
        result.classes.push(readers.classInfo(name, value.node));
        return;
      case 'es5-class':
        result.classes.push(es5Class(name, value.local, value.node));
        return;
      case 'object':
        result.consts.push(objectConst(name, value.node));
        return;
      case 'value':
        result.consts.push(valueConst(name, value.node));
        return;
      case 'elsewhere':
        result.reexports.push(name);
    }
  }

  function resolve(node: TsMorph.Node, depth: number): Resolved {
    let value = node;
    while (Node.isParenthesizedExpression(value)) value = value.getExpression();
    if (Node.isFunctionExpression(value) || Node.isArrowFunction(value)) {
      const own = Node.isFunctionExpression(value) ? value.getName() : undefined;
      const local = localNameOf(value) ?? own;
      if (local !== undefined && prototypes.has(local) && !Node.isArrowFunction(value)) return { kind: 'es5-class', node: value, local };
      return { kind: 'function', node: value, local };
    }
    if (Node.isMethodDeclaration(value)) return { kind: 'function', node: value, local: undefined };
    if (Node.isClassExpression(value)) return { kind: 'class', node: value };
    if (Node.isObjectLiteralExpression(value)) return { kind: 'object', node: value, local: localNameOf(value) };
    if (Node.isCallExpression(value) && value.getExpression().getText() === 'require') return { kind: 'elsewhere' };
    if (Node.isIdentifier(value) && depth < 4) {
      const local = value.getText();
      const fn = file.getFunction(local);
      if (fn) return prototypes.has(local) ? { kind: 'es5-class', node: fn, local } : { kind: 'function', node: fn, local };
      const cls = file.getClass(local);
      if (cls) return { kind: 'class', node: cls };
      const init = file.getVariableDeclaration(local)?.getInitializer();
      if (init) return resolve(init, depth + 1);
      return { kind: 'value', node: undefined };
    }
    return { kind: 'value', node: value };
  }

  /** The variable a function or object is assigned to (`var Foo = function () {}`), for its prototype and members. */
  function localNameOf(node: TsMorph.Node): string | undefined {
    const parent = node.getParent();
    return parent && Node.isVariableDeclaration(parent) ? parent.getName() : undefined;
  }

  function es5Class(name: string, local: string, node: Callable): ClassInfo {
    const methods: MethodInfo[] = [];
    const methodOf = (methodName: string, value: TsMorph.Node, isStatic: boolean) => {
      const resolved = resolve(value, 0);
      if (resolved.kind === 'function' && IDENTIFIER.test(methodName)) methods.push({ name: methodName, ...readers.callable(resolved.node), static: isStatic });
    };
    (prototypes.get(local) ?? new Map()).forEach((value, methodName) => methodOf(methodName, value, false));
    (statics.get(local) ?? new Map()).forEach((value, methodName) => methodOf(methodName, value, true));
    return { name, ctorParams: readers.callable(node).params, methods, abstract: false };
  }

  function objectConst(name: string, node: TsMorph.ObjectLiteralExpression): ConstInfo {
    const info: ConstInfo = { name, literal: undefined, keys: [], methods: [] };
    objectMembers(node).forEach((value, key) => {
      if (!IDENTIFIER.test(key)) return;
      info.keys.push(key);
      const resolved = resolve(value, 0);
      if (resolved.kind === 'function') info.methods.push({ name: key, ...readers.callable(resolved.node), static: false });
    });
    return info;
  }

  function valueConst(name: string, node: TsMorph.Node | undefined): ConstInfo {
    const info: ConstInfo = { name, literal: undefined, keys: [], methods: [] };
    if (node && (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node) || Node.isNumericLiteral(node))) info.literal = node.getLiteralValue();
    else if (node?.getKind() === SyntaxKind.TrueKeyword) info.literal = true;
    else if (node?.getKind() === SyntaxKind.FalseKeyword) info.literal = false;
    return info;
  }

  /** An object literal's members by name: values of properties, shorthand names, and methods themselves (getters, spreads and computed keys left out). */
  function objectMembers(node: TsMorph.ObjectLiteralExpression): Map<string, TsMorph.Node> {
    const out = new Map<string, TsMorph.Node>();
    for (const property of node.getProperties()) {
      if (Node.isPropertyAssignment(property)) {
        const nameNode = property.getNameNode();
        const value = property.getInitializer();
        if (value && (Node.isIdentifier(nameNode) || Node.isStringLiteral(nameNode))) out.set(Node.isStringLiteral(nameNode) ? nameNode.getLiteralValue() : nameNode.getText(), value);
      } else if (Node.isShorthandPropertyAssignment(property)) out.set(property.getName(), property.getNameNode());
      else if (Node.isMethodDeclaration(property) && Node.isIdentifier(property.getNameNode())) out.set(property.getName(), property);
    }
    return out;
  }

  /** `a.b.c` as ['a', 'b', 'c'] when made of plain names only. */
  function memberPath(node: TsMorph.Node): string[] | undefined {
    if (Node.isIdentifier(node)) return [node.getText()];
    if (Node.isPropertyAccessExpression(node)) {
      const head = memberPath(node.getExpression());
      return head === undefined ? undefined : [...head, node.getName()];
    }
    if (Node.isElementAccessExpression(node)) {
      const key = node.getArgumentExpression();
      const head = memberPath(node.getExpression());
      return head !== undefined && key && Node.isStringLiteral(key) ? [...head, key.getLiteralValue()] : undefined;
    }
    return undefined;
  }
}
