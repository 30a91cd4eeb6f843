/**
 * Representative argument values for parameters of simple types, and the
 * assertion that fits a declared return type. A parameter whose type is not
 * simple (an interface, a class, a callback) gets no made-up value: the call
 * becomes a placeholder for a person instead.
 */
import type { ParamInfo } from './types.js';

/** Object shapes declared in the module, by type name (see ModuleAnalysis.shapes). */
export type Shapes = Readonly<Record<string, readonly ParamInfo[]>>;

/**
 * A source expression for a value of `param`'s type, or undefined when the
 * type is not simple. An object type declared in the module gets a literal of
 * its required properties, when each of those is simple in turn.
 */
export function sampleValue(param: ParamInfo, shapes: Shapes = {}, depth = 0): string | undefined {
  const type = stripNullish(param.type.trim());
  if (type === '') return undefined;
  const shape = Object.hasOwn(shapes, type) ? shapes[type] : undefined;
  if (shape !== undefined) {
    if (depth > 2) return undefined;
    const fields: string[] = [];
    for (const field of shape) {
      if (field.optional) continue;
      const value = sampleValue(field, shapes, depth + 1);
      if (value === undefined || !/^[A-Za-z_$][\w$]*$/.test(field.name)) return undefined;
      fields.push(`${field.name}: ${value}`);
    }
    return `{ ${fields.join(', ')} }`;
  }
  if (/^Partial<\s*[A-Za-z_$][\w$]*\s*>$/.test(type)) return '{}';
  const literals = type.split('|').map((part) => part.trim());
  if (literals.length > 1 && literals.every((part) => /^(['"]).*\1$|^-?\d+(\.\d+)?$|^true$|^false$/.test(part))) return literals[0];
  const simple = literals.find((part) => part === 'string' || part === 'number' || part === 'boolean');
  if (literals.length > 1 && simple !== undefined) return sampleValue({ ...param, type: simple }, shapes, depth);
  if (type === 'string') return JSON.stringify(sampleString(param.name));
  if (type === 'number') return /page|count|limit|size|length|age|amount|qty|quantity/i.test(param.name) ? '2' : '1';
  if (type === 'boolean') return 'true';
  const element = /^(?:readonly\s+)?(string|number|boolean)\[\]$/.exec(type)?.[1] ?? /^(?:Readonly)?Array<(string|number|boolean)>$/.exec(type)?.[1];
  if (element !== undefined) {
    const inner = sampleValue({ ...param, type: element, name: param.name.replace(/s$/, '') }, shapes, depth);
    return inner === undefined ? undefined : `[${inner}]`;
  }
  return undefined;
}

/** Arguments for a call when every required parameter has a simple type; undefined otherwise. */
export function sampleArguments(params: readonly ParamInfo[], shapes: Shapes = {}): string[] | undefined {
  const args: string[] = [];
  for (const param of params) {
    if (param.optional || param.rest) break; // optional parameters keep their defaults
    const value = sampleValue(param, shapes);
    if (value === undefined) return undefined;
    args.push(value);
  }
  return args;
}

function sampleString(name: string): string {
  if (/e-?mail/i.test(name)) return 'user@example.com';
  if (/url|uri|href|link/i.test(name)) return 'https://example.com/';
  if (/password|secret/i.test(name)) return 'Secret-password-123';
  if (/date/i.test(name)) return '2024-01-15';
  if (/^id$|Id$/.test(name)) return '1';
  if (/name/i.test(name)) return 'Ada';
  return 'example';
}

function stripNullish(type: string): string {
  const parts = type.split('|').map((part) => part.trim()).filter((part) => part !== 'undefined' && part !== 'null');
  return parts.join(' | ');
}

/** How a returned value of a declared type is checked. */
export type ResultCheck =
  | { kind: 'typeof'; type: 'string' | 'number' | 'boolean' }
  | { kind: 'undefined' }
  | { kind: 'array' }
  | { kind: 'object' }
  | { kind: 'none' };

/** Split a return type into "is it a promise" and the check of the (awaited) value. */
export function resultCheck(returns: string): { promise: boolean; check: ResultCheck } {
  let type = returns.trim();
  let promise = false;
  const wrapped = /^Promise<([\s\S]*)>$/.exec(type);
  if (wrapped) {
    promise = true;
    type = wrapped[1]?.trim() ?? '';
  }
  return { promise, check: checkFor(type) };
}

function checkFor(type: string): ResultCheck {
  if (type === 'string' || type === 'number' || type === 'boolean') return { kind: 'typeof', type };
  if (type === 'void' || type === 'undefined') return { kind: 'undefined' };
  if (/^(readonly\s+)?[\w.<>, ]+\[\]$/.test(type) || /^(Readonly)?Array<.*>$/.test(type) || type === 'unknown[]') return { kind: 'array' };
  if (type === 'object' || type === 'Record<string, unknown>') return { kind: 'object' };
  if (/^(['"]).*\1(\s*\|\s*(['"]).*\3)*$/.test(type)) return { kind: 'typeof', type: 'string' };
  return { kind: 'none' };
}

/** Words for a check, in test names. */
export function describeCheck(check: ResultCheck, promise: boolean): string {
  const what =
    check.kind === 'typeof' ? `${check.type === 'number' ? 'a' : 'a'} ${check.type}`
    : check.kind === 'undefined' ? 'nothing'
    : check.kind === 'array' ? 'an array'
    : check.kind === 'object' ? 'an object'
    : promise ? 'a value' : '';
  if (promise) return `resolves to ${what}`;
  return what === '' ? 'runs without throwing' : `returns ${what}`;
}
