/**
 * Types for parameters nobody wrote a type for (plain JavaScript, or a
 * TypeScript parameter without an annotation), so that exploration has
 * arguments to try. The answer comes, in this order, from the JSDoc
 * `@param` tag, then from how the body uses the parameter: `typeof p ===
 * 'string'` checks give a union of the kinds checked, property reads give an
 * object of those fields (each field typed the same way), string or array
 * methods, arithmetic and comparisons, a call `p()`, a `for...of` loop, and
 * the default value. The result is a type string as a person would write it
 * (`string | string[]`, `{ long?: unknown }`), which the candidate pools read
 * like any written type; `unknown` when nothing tells.
 */
import type * as TsMorph from 'ts-morph';
import { CALLBACK, jsDocParamTag, objectType, type InferredParam } from './infer-jsdoc.js';

type Ts = typeof TsMorph.ts;
type Node = TsMorph.ts.Node;


const STRING_METHODS = new Set(['toLowerCase', 'toUpperCase', 'toLocaleLowerCase', 'toLocaleUpperCase', 'split', 'replace', 'replaceAll', 'trim', 'trimStart', 'trimEnd', 'startsWith', 'endsWith', 'charAt', 'charCodeAt', 'codePointAt', 'substring', 'substr', 'padStart', 'padEnd', 'match', 'matchAll', 'repeat', 'normalize', 'localeCompare', 'search']);
const ARRAY_METHODS = new Set(['map', 'forEach', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast', 'join', 'push', 'pop', 'shift', 'unshift', 'sort', 'flatMap', 'flat', 'splice', 'reverse', 'fill']);
/** Methods strings and arrays share: evidence for one of the two. */
const SHARED_METHODS = new Set(['slice', 'indexOf', 'lastIndexOf', 'includes', 'concat', 'at']);
const NUMBER_METHODS = new Set(['toFixed', 'toPrecision', 'toExponential']);
/** Array methods whose callback's first parameter (second for reduce) is an element. */
const ELEMENT_CALLBACKS: Record<string, number> = { map: 0, forEach: 0, filter: 0, some: 0, every: 0, find: 0, findIndex: 0, findLast: 0, flatMap: 0, reduce: 1, reduceRight: 1 };
const NUMBER_FUNCTIONS = /^(isFinite|isNaN|Number\.isFinite|Number\.isNaN|Number\.isInteger|Number\.isSafeInteger|Math\.\w+)$/;
const STRING_FUNCTIONS = /^(JSON\.parse|decodeURIComponent|encodeURIComponent|decodeURI|encodeURI|parseInt|parseFloat|atob|btoa)$/;
const OBJECT_FUNCTIONS = /^(Object\.(keys|values|entries|getOwnPropertyNames|freeze|isFrozen))$/;
const ARITHMETIC = new Set(['-', '*', '/', '%', '**', '<<', '>>', '>>>', '&', '|', '^', '-=', '*=', '/=', '%=']);
const ORDER = new Set(['<', '>', '<=', '>=']);
const EQUALITY = new Set(['===', '!==', '==', '!=']);
const MAX_DEPTH = 3;
const OPTIONS_NAME = /^(opts|options|config|settings|params)$/i;
/** Names every object has: reading one says nothing about the fields it needs. */
const OBJECT_MEMBERS = new Set(['constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__proto__']);

/** What the uses of one value say about its type. */
interface Evidence {
  kinds: Set<'string' | 'number' | 'boolean' | 'function' | 'array' | 'object' | 'string-or-array' | 'number-or-string' | 'joined'>;
  /** String literals the value is compared with (`kind === 'circle'`): the values that take those branches. */
  literals: Set<string>;
  /** Kinds named by `typeof` checks and `Array.isArray`: the value is one of these. */
  checked: Set<string>;
  fields: Map<string, Node[]>;
  elements: Node[];
  /** Compared with undefined or null, or given a fallback (`p || {}`). */
  optional: boolean;
}

/** The type of a parameter with no written type, and whether its JSDoc marks it optional. */
export function inferParam(param: TsMorph.ts.ParameterDeclaration, ts: Ts): InferredParam {
  const fromDoc = jsDocParam(param, ts);
  if (fromDoc !== undefined && fromDoc.type !== '') return fromDoc;
  // A default value of a plain kind says it better than the uses do (`b = 2`; the body may only add to it).
  const byDefault = param.initializer === undefined ? '' : literalKind(param.initializer, ts);
  if (byDefault === 'string' || byDefault === 'number' || byDefault === 'boolean') return { type: byDefault, optional: true };
  const fn = param.parent;
  const body = fn && 'body' in fn ? (fn.body as Node | undefined) : undefined;
  let type = '';
  if (ts.isObjectBindingPattern(param.name)) {
    const fields = param.name.elements.map((element) => {
      const key = element.propertyName ?? element.name;
      const name = ts.isIdentifier(key) ? key.text : '';
      const local = ts.isIdentifier(element.name) ? element.name.text : '';
      const found = body && local !== '' ? typeOf(evidence(references(body, local, ts), ts, 0), ts, 0) : '';
      const fallback = element.initializer ? literalKind(element.initializer, ts) : '';
      return { name, type: found || fallback || 'unknown', optional: element.initializer !== undefined };
    });
    if (fields.every((field) => /^[A-Za-z_$][\w$]*$/.test(field.name))) type = objectType(fields);
  } else if (ts.isArrayBindingPattern(param.name)) {
    type = 'unknown[]';
  } else if (body !== undefined) {
    type = bodyType(param.name.text, body, false, ts);
    if (OPTIONS_NAME.test(param.name.text)) return { type: type === '' ? 'unknown' : type, optional: true };
  }
  if (type === '') type = byDefault;
  return { type: type === '' ? 'unknown' : type, optional: fromDoc?.optional ?? false };
}

/** The type the body's uses of the parameter `name` point to ('' when they say nothing). */
function bodyType(name: string, body: Node, optional: boolean, ts: Ts): string {
  const found = evidence(references(body, name, ts), ts, 0);
  // An optional parameter, an options object, or one the body replaces with defaults (`options = { ...defaults, ...options }`): its fields may be left out.
  if (optional || OPTIONS_NAME.test(name) || new RegExp(`(^|[^.\\w$])${name.replace(/\$/g, '\\$')}\\s*=[^=]`).test(body.getText())) found.optional = true;
  return typeOf(found, ts, 0);
}

/** The `@param` tag's type; a bare `Object` gets its fields from the body. */
function jsDocParam(param: TsMorph.ts.ParameterDeclaration, ts: Ts): InferredParam | undefined {
  const fromDoc = jsDocParamTag(param, ts);
  if (fromDoc?.type !== 'object' || !ts.isIdentifier(param.name)) return fromDoc;
  const fn = param.parent;
  const body = fn && 'body' in fn ? (fn.body as Node | undefined) : undefined;
  const found = body ? bodyType(param.name.text, body, fromDoc.optional, ts) : '';
  return found.startsWith('{') ? { ...fromDoc, type: found } : fromDoc;
}

/** Identifiers in `body` that read the variable `name` (not shadowed by a nested function's own). */
function references(body: Node, name: string, ts: Ts): Node[] {
  const out: Node[] = [];
  const visit = (node: Node): void => {
    if (ts.isFunctionLike(node) && declares(node, name, ts)) return;
    if (ts.isIdentifier(node) && node.text === name && isRead(node, ts)) out.push(node);
    ts.forEachChild(node, visit);
  };
  visit(body);
  return out;
}

function declares(fn: TsMorph.ts.SignatureDeclaration, name: string, ts: Ts): boolean {
  return fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name);
}

function isRead(node: TsMorph.ts.Identifier, ts: Ts): boolean {
  const parent = node.parent;
  if (parent === undefined) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.name === node) return false;
  if ((ts.isVariableDeclaration(parent) || ts.isFunctionDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent)) && parent.name === node) return false;
  // `p = ...` replaces the value: what follows says nothing about the argument.
  if (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return false;
  return true;
}

/** Step over parentheses and non-null assertions to the node that uses the value. */
function user(node: Node, ts: Ts): { node: Node; parent: Node | undefined } {
  let current = node;
  while (current.parent && (ts.isParenthesizedExpression(current.parent) || ts.isNonNullExpression(current.parent))) current = current.parent;
  return { node: current, parent: current.parent };
}

/** Gather what each use of the value (its references) says. */
function evidence(refs: readonly Node[], ts: Ts, depth: number): Evidence {
  const found: Evidence = { kinds: new Set(), checked: new Set(), fields: new Map(), elements: [], optional: false, literals: new Set() };
  for (const ref of refs) use(ref, found, ts, depth);
  return found;
}

function use(ref: Node, found: Evidence, ts: Ts, depth: number): void {
  const { node, parent } = user(ref, ts);
  if (parent === undefined) return;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
    const name = parent.name.text;
    const call = user(parent, ts).parent;
    const called = call !== undefined && ts.isCallExpression(call) && call.expression === user(parent, ts).node;
    if (called && STRING_METHODS.has(name)) found.kinds.add('string');
    else if (called && ARRAY_METHODS.has(name)) {
      found.kinds.add('array');
      const index = ELEMENT_CALLBACKS[name];
      const callback = index === undefined ? undefined : (call as TsMorph.ts.CallExpression).arguments[0];
      if (callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) {
        const element = callback.parameters[index as number];
        if (element && ts.isIdentifier(element.name)) found.elements.push(...references(callback.body, element.name.text, ts));
      }
    } else if (called && SHARED_METHODS.has(name)) found.kinds.add('string-or-array');
    else if (called && NUMBER_METHODS.has(name)) found.kinds.add('number');
    else if (called && (name === 'call' || name === 'apply' || name === 'bind')) found.kinds.add('function');
    else if (name === 'length') found.kinds.add('string-or-array');
    else if (OBJECT_MEMBERS.has(name)) found.kinds.add('object');
    else if (/^[A-Za-z_$][\w$]*$/.test(name)) {
      found.fields.set(name, [...(found.fields.get(name) ?? []), parent]);
    }
    return;
  }
  if (ts.isElementAccessExpression(parent) && parent.expression === node) {
    const key = parent.argumentExpression;
    if (ts.isStringLiteralLike(key)) found.fields.set(key.text, [...(found.fields.get(key.text) ?? []), parent]);
    else if (ts.isNumericLiteral(key) || (ts.isIdentifier(key) && /^(i|j|k|n|idx|index|\w*Index|pos|position)$/.test(key.text)) || ts.isBinaryExpression(key)) {
      found.kinds.add('string-or-array');
      found.elements.push(parent);
    } else found.kinds.add('object');
    return;
  }
  if (ts.isCallExpression(parent)) {
    if (parent.expression === node) {
      found.kinds.add('function');
      return;
    }
    const callee = parent.expression.getText();
    if (callee === 'Array.isArray') found.checked.add('array');
    else if (NUMBER_FUNCTIONS.test(callee)) found.kinds.add('number');
    else if (STRING_FUNCTIONS.test(callee) && parent.arguments[0] === node) found.kinds.add('string');
    else if (OBJECT_FUNCTIONS.test(callee)) found.kinds.add('object');
    else if (ts.isPropertyAccessExpression(parent.expression) && /^(test|exec)$/.test(parent.expression.name.text) && parent.arguments[0] === node) found.kinds.add('string');
    return;
  }
  if (ts.isTypeOfExpression(parent)) {
    typeofChecks(parent, found, ts);
    return;
  }
  if (ts.isPrefixUnaryExpression(parent)) {
    const K = ts.SyntaxKind;
    if ([K.MinusToken, K.PlusPlusToken, K.MinusMinusToken, K.TildeToken].includes(parent.operator)) found.kinds.add('number');
    return;
  }
  if (ts.isPostfixUnaryExpression(parent)) {
    found.kinds.add('number');
    return;
  }
  if (ts.isBinaryExpression(parent)) {
    binary(parent, node, found, ts);
    return;
  }
  if (ts.isForOfStatement(parent) && parent.expression === node) {
    found.kinds.add('array');
    const declaration = ts.isVariableDeclarationList(parent.initializer) ? parent.initializer.declarations[0] : undefined;
    if (declaration && ts.isIdentifier(declaration.name)) found.elements.push(...references(parent.statement, declaration.name.text, ts));
    return;
  }
  if (ts.isForInStatement(parent) && parent.expression === node) found.kinds.add('object');
  else if (ts.isTemplateSpan(parent)) found.kinds.add('joined');
  else if (ts.isSpreadAssignment(parent)) found.kinds.add('object');
  else if (ts.isSpreadElement(parent) && parent.parent && ts.isArrayLiteralExpression(parent.parent)) found.kinds.add('array');
  else if (ts.isVariableDeclaration(parent) && parent.initializer === node && depth < MAX_DEPTH) {
    // `const { a, b } = p` reads fields; `const copy = p` is p under another name.
    const scope = enclosingBody(parent, ts);
    if (ts.isObjectBindingPattern(parent.name)) {
      for (const element of parent.name.elements) {
        const key = element.propertyName ?? element.name;
        if (!ts.isIdentifier(key) || !ts.isIdentifier(element.name) || scope === undefined) continue;
        found.fields.set(key.text, [...(found.fields.get(key.text) ?? []), ...references(scope, element.name.text, ts)]);
      }
    } else if (ts.isIdentifier(parent.name) && scope !== undefined) {
      for (const alias of references(scope, parent.name.text, ts)) use(alias, found, ts, depth + 1);
    }
  }
}

/** `typeof p === 'string'`, `switch (typeof p)`, and `const type = typeof p; if (type === 'string')`. */
function typeofChecks(expression: TsMorph.ts.TypeOfExpression, found: Evidence, ts: Ts): void {
  const comparedWith = (node: Node, depth = 0): void => {
    const { node: self, parent } = user(node, ts);
    if (parent && ts.isBinaryExpression(parent) && EQUALITY.has(parent.operatorToken.getText())) {
      const other = parent.left === self ? parent.right : parent.left;
      if (ts.isStringLiteralLike(other)) found.checked.add(other.text);
    } else if (parent && ts.isSwitchStatement(parent) && parent.expression === self) {
      for (const clause of parent.caseBlock.clauses) if (ts.isCaseClause(clause) && ts.isStringLiteralLike(clause.expression)) found.checked.add(clause.expression.text);
    } else if (parent && ts.isVariableDeclaration(parent) && parent.initializer === self && ts.isIdentifier(parent.name) && depth < MAX_DEPTH) {
      const scope = enclosingBody(parent, ts);
      if (scope) for (const ref of references(scope, parent.name.text, ts)) comparedWith(ref, depth + 1);
    }
  };
  comparedWith(expression);
}

function binary(parent: TsMorph.ts.BinaryExpression, node: Node, found: Evidence, ts: Ts): void {
  const op = parent.operatorToken.getText();
  const other = parent.left === node ? parent.right : parent.left;
  const otherKind = literalKind(other, ts);
  if (ARITHMETIC.has(op)) found.kinds.add('number');
  else if (ORDER.has(op)) found.kinds.add(otherKind === 'string' ? 'string' : 'number');
  else if (op === '+' || op === '+=') {
    if (otherKind === 'number') found.kinds.add('number');
    else if (otherKind === 'string') found.kinds.add('joined');
    else if (otherKind === '') found.kinds.add('number-or-string');
  } else if (EQUALITY.has(op)) {
    if (other.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(other) && other.text === 'undefined') || ts.isVoidExpression(other)) found.optional = true;
    else if (otherKind === 'string' || otherKind === 'number' || otherKind === 'boolean') found.kinds.add(otherKind);
    if (ts.isStringLiteralLike(other) && other.text.length <= 40) found.literals.add(other.text);
  } else if (op === 'in' && parent.right === node) found.kinds.add('object');
  else if ((op === '||' || op === '??') && parent.left === node) {
    found.optional = true;
    const kind = literalKind(other, ts);
    if (kind === 'object') found.kinds.add('object');
    else if (kind === 'string' || kind === 'number' || kind === 'boolean') found.kinds.add(kind);
  }
}

/** The function body (or source file) a declaration lives in, to look for its uses. */
function enclosingBody(node: Node, ts: Ts): Node | undefined {
  let current: Node | undefined = node.parent;
  while (current && !ts.isFunctionLike(current) && !ts.isSourceFile(current)) current = current.parent;
  if (current === undefined) return undefined;
  return ts.isSourceFile(current) ? current : ('body' in current ? (current.body as Node | undefined) : undefined);
}

/** The type the uses point to; '' when they say nothing. */
function typeOf(found: Evidence, ts: Ts, depth: number): string {
  const fields = depth < MAX_DEPTH && found.fields.size > 0 ? objectType([...found.fields].map(([name, refs]) => {
    const inner = evidence(refs, ts, depth + 1);
    const type = typeOf(inner, ts, depth + 1);
    return { name, type: type === '' ? 'unknown' : type, optional: inner.optional || found.optional };
  })) : found.kinds.has('object') ? 'Record<string, unknown>' : '';
  const element = () => {
    const type = depth < MAX_DEPTH ? typeOf(evidence(found.elements, ts, depth + 1), ts, depth + 1) : '';
    return type === '' ? 'unknown[]' : /[|&=]/.test(type) ? `(${type})[]` : `${type}[]`;
  };
  if (found.checked.size > 0) {
    const parts: string[] = [];
    for (const kind of found.checked) {
      if (kind === 'string' || kind === 'number' || kind === 'boolean') parts.push(kind);
      else if (kind === 'function') parts.push(`(${CALLBACK})`);
      else if (kind === 'array') parts.push(element());
      else if (kind === 'object') parts.push(fields === '' ? 'Record<string, unknown>' : fields);
    }
    if (parts.length > 0) return [...new Set(parts)].join(' | ');
  }
  const { kinds } = found;
  if (kinds.has('function')) return CALLBACK;
  if (kinds.has('array')) return element();
  if (fields !== '' && !kinds.has('string') && !kinds.has('number')) return fields;
  const simple = (['string', 'number', 'boolean'] as const).filter((k) => kinds.has(k));
  // The literals compared with come first, so that the plain sample takes one of their branches.
  if (simple.length === 1 && simple[0] === 'string' && found.literals.size > 0) return [...[...found.literals].slice(0, 6).map((l) => JSON.stringify(l)), 'string'].join(' | ');
  if (simple.length > 0) return simple.join(' | ');
  if (kinds.has('string-or-array')) return found.elements.length > 0 ? `string | ${element()}` : 'string';
  if (kinds.has('number-or-string')) return 'number | string';
  // Joined into a string (`name + 's'`, a template): anything converts, a string most plainly.
  if (kinds.has('joined')) return 'string';
  return '';
}

/** The kind of a literal expression: what a default value or a compared value says. */
function literalKind(node: Node, ts: Ts): string {
  if (ts.isStringLiteralLike(node) || ts.isTemplateExpression(node)) return 'string';
  if (ts.isNumericLiteral(node) || (ts.isPrefixUnaryExpression(node) && ts.isNumericLiteral(node.operand))) return 'number';
  if (node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword) return 'boolean';
  if (ts.isObjectLiteralExpression(node)) return 'object';
  if (ts.isArrayLiteralExpression(node)) return 'unknown[]';
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return CALLBACK;
  return '';
}
