/**
 * Parameter types from JSDoc: `@param {string} name`, `{number=}` and
 * `[name]` (optional), `{Array<string>}`, `{String|Number}`, `{function}`,
 * `{*}`, records (`{{ size: number }}`), and `{Object}` followed by
 * `@param {string} opts.key` lines, written as the type strings the
 * candidate pools read.
 */
import type * as TsMorph from 'ts-morph';

type Ts = typeof TsMorph.ts;

/** The type string for a function-typed parameter. */
export const CALLBACK = '(...args: unknown[]) => unknown';

export interface InferredParam {
  type: string;
  /** The JSDoc marks it optional (`[name]`, `{number=}`). */
  optional: boolean;
}

/** The `@param` tag's type, as a type string ('' when it says nothing usable); undefined without a tag. */
export function jsDocParamTag(param: TsMorph.ts.ParameterDeclaration, ts: Ts): InferredParam | undefined {
  if (!ts.isIdentifier(param.name)) return undefined;
  const name = param.name.text;
  const tags = ts.getJSDocParameterTags(param);
  const tag = tags[0];
  if (tag === undefined) return undefined;
  const node = tag.typeExpression?.type;
  let optional = tag.isBracketed;
  if (node !== undefined && ts.isJSDocOptionalType(node)) optional = true;
  let type = node === undefined ? '' : docType(node, ts);
  // `@param {Object} opts` followed by `@param {string} opts.key`: the fields of opts.
  const all = param.parent ? ts.getJSDocTags(param.parent).filter(ts.isJSDocParameterTag) : [];
  const nested = all.filter((t) => ts.isQualifiedName(t.name) && ts.isIdentifier(t.name.left) && t.name.left.text === name);
  if (nested.length > 0 && (type === 'object' || type === 'unknown' || type === '')) {
    type = objectType(nested.map((t) => ({
      name: (t.name as TsMorph.ts.QualifiedName).right.text,
      type: (t.typeExpression ? docType(t.typeExpression.type, ts) : '') || 'unknown',
      optional: t.isBracketed || (t.typeExpression !== undefined && ts.isJSDocOptionalType(t.typeExpression.type)),
    })));
  }
  return { type, optional };
}

/** A JSDoc (or TypeScript) type node as a type string the pools read; '' when it has no usable meaning. */
export function docType(node: TsMorph.ts.TypeNode, ts: Ts): string {
  const K = ts.SyntaxKind;
  switch (node.kind) {
    case K.StringKeyword: return 'string';
    case K.NumberKeyword: return 'number';
    case K.BooleanKeyword: return 'boolean';
    case K.ObjectKeyword: return 'object';
    case K.AnyKeyword: case K.UnknownKeyword: case K.JSDocAllType: case K.JSDocUnknownType: return 'unknown';
    case K.NullKeyword: return 'null';
    case K.UndefinedKeyword: return 'undefined';
    default: break;
  }
  if (ts.isJSDocOptionalType(node) || ts.isJSDocNonNullableType(node) || ts.isParenthesizedTypeNode(node)) return docType(node.type, ts);
  if (ts.isJSDocNullableType(node)) {
    const inner = docType(node.type, ts);
    return inner === '' ? '' : `${inner} | null`;
  }
  if (ts.isLiteralTypeNode(node)) return node.getText();
  if (ts.isUnionTypeNode(node)) {
    const parts = node.types.map((t) => docType(t, ts));
    return parts.includes('') ? '' : [...new Set(parts)].join(' | ');
  }
  if (ts.isArrayTypeNode(node)) {
    const inner = docType(node.elementType, ts) || 'unknown';
    return /[|&=]/.test(inner) ? `(${inner})[]` : `${inner}[]`;
  }
  // `[string]` in a JSDoc record means an optional string.
  if (ts.isTupleTypeNode(node) && node.elements.length === 1 && node.elements[0]) return docType(node.elements[0] as TsMorph.ts.TypeNode, ts);
  if (ts.isFunctionTypeNode(node) || ts.isJSDocFunctionType(node)) return CALLBACK;
  if (ts.isTypeLiteralNode(node)) {
    const fields = node.members.map((member) => {
      if (!ts.isPropertySignature(member) || !ts.isIdentifier(member.name)) return undefined;
      const type = member.type ? docType(member.type, ts) : '';
      return { name: member.name.text, type: type || 'unknown', optional: member.questionToken !== undefined || (member.type !== undefined && ts.isTupleTypeNode(member.type)) };
    });
    return fields.every((f) => f !== undefined) ? objectType(fields as { name: string; type: string; optional: boolean }[]) : 'object';
  }
  if (ts.isJSDocTypeLiteral(node)) {
    const fields = (node.jsDocPropertyTags ?? []).map((tag) => ({
      name: ts.isQualifiedName(tag.name) ? tag.name.right.text : tag.name.text,
      type: (tag.typeExpression ? docType(tag.typeExpression.type, ts) : '') || 'unknown',
      optional: tag.isBracketed,
    }));
    return node.isArrayType ? `${objectType(fields)}[]` : objectType(fields);
  }
  if (ts.isTypeReferenceNode(node)) {
    const name = node.typeName.getText();
    const args = node.typeArguments ?? [];
    const lower = name.toLowerCase();
    if (lower === 'string' || lower === 'number' || lower === 'boolean') return lower;
    if (lower === 'function') return CALLBACK;
    if (name === 'Array') {
      const inner = args[0] ? docType(args[0], ts) || 'unknown' : 'unknown';
      return /[|&=]/.test(inner) ? `(${inner})[]` : `${inner}[]`;
    }
    if (lower === 'object') {
      const value = args[1] ? docType(args[1], ts) : '';
      return args.length === 2 ? `Record<string, ${value || 'unknown'}>` : 'object';
    }
    if (name === 'Record' && args.length === 2 && args[1]) return `Record<string, ${docType(args[1], ts) || 'unknown'}>`;
  }
  return '';
}

/** `{ a: string; b?: unknown }` from fields. */
export function objectType(fields: readonly { name: string; type: string; optional: boolean }[]): string {
  const usable = fields.filter((f) => /^[A-Za-z_$][\w$]*$/.test(f.name));
  if (usable.length === 0) return 'Record<string, unknown>';
  return `{ ${usable.map((f) => `${f.name}${f.optional ? '?' : ''}: ${f.type}`).join('; ')} }`;
}
