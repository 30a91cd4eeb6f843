/**
 * Writes a type the checker resolved as text the candidate pools can make
 * values of without the checker: primitives, literals and their unions,
 * arrays, tuples, function types (`(a: string) => number`), `Record<string,
 * V>`, and the built-ins pools knows by name (`Date`, `Map<K, V>`, `Set<T>`,
 * `Promise<T>`, `RegExp`, ...). Named object types (interfaces, aliases of
 * object types) are written by name and their fields recorded in `shapes`;
 * literal unions and enums by name in `unions`; classes and enums a test
 * must reach through a module in `declared`. A type parameter becomes its
 * constraint, else its default, else `string`. What cannot be written (a
 * library class, a type too large to build by hand) gives undefined.
 */
import path from 'node:path';
import type * as TsMorph from 'ts-morph';
import { builtinText, wrap } from './builtin-types.js';
import type { DeclaredValue, ParamInfo } from './types.js';

type Ts = typeof TsMorph.ts;
type Type = TsMorph.ts.Type;
type Symbol = TsMorph.ts.Symbol;

export interface TypeScope {
  ts: Ts;
  checker: TsMorph.ts.TypeChecker;
  program: TsMorph.ts.Program;
  /** Absolute root of the target. */
  root: string;
  /** The module under test, and its root-relative path. */
  subject: TsMorph.ts.SourceFile;
  subjectPath: string;
  shapes: Record<string, ParamInfo[]>;
  unions: Record<string, string[]>;
  declared: Record<string, DeclaredValue>;
}

const MAX_DEPTH = 6;
/** An object type with more fields than this is not something a test builds by hand (a request, a socket). */
const MAX_FIELDS = 25;
/** Type visits per module: a bound on the time one module's types may take. */
const BUDGET = 1500;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Turns checker types into pool-ready text for one module, recording the named types it meets. */
export class TypeWriter {
  private readonly named = new Map<Type, string | undefined>();
  private readonly owners = new Map<string, Type | Symbol>();
  private readonly exportsByFile = new Map<TsMorph.ts.SourceFile, Map<Symbol, string>>();
  private budget = BUDGET;

  constructor(private readonly scope: TypeScope) {}

  /** The parameters of a signature, with their types written out. */
  params(signature: TsMorph.ts.Signature, depth = 0): ParamInfo[] {
    const { ts, checker } = this.scope;
    return signature.getParameters().map((symbol) => {
      const decl = symbol.valueDeclaration;
      const parameter = decl !== undefined && ts.isParameter(decl) ? decl : undefined;
      const type = checker.getTypeOfSymbolAtLocation(symbol, decl ?? this.scope.subject);
      const optional = parameter !== undefined && checker.isOptionalParameter(parameter);
      const info: ParamInfo = { name: symbol.name, type: this.optionalText(type, optional, depth) ?? '', optional, rest: parameter?.dotDotDotToken !== undefined };
      if (parameter?.initializer !== undefined) info.default = parameter.initializer.getText();
      return info;
    });
  }

  /** The text of a parameter's or field's type, without the `undefined` that being optional adds. */
  private optionalText(type: Type, optional: boolean, depth: number): string | undefined {
    if (!optional || !type.isUnion()) return this.text(type, depth);
    const defined = type.types.filter((t) => !(t.flags & this.scope.ts.TypeFlags.Undefined));
    return defined.length === type.types.length ? this.text(type, depth) : this.unionText(defined, type.aliasSymbol, depth);
  }

  /** The text of a type, or undefined when no value of it can be written. */
  text(type: Type, depth = 0): string | undefined {
    if (depth > MAX_DEPTH || --this.budget < 0) return undefined;
    const { ts, checker } = this.scope;
    const F = ts.TypeFlags;
    const f = type.flags;
    if (f & F.Any) return 'any';
    if (f & F.Unknown) return 'unknown';
    if (f & F.Never) return undefined;
    if (f & F.Void) return 'void';
    if (f & F.Undefined) return 'undefined';
    if (f & F.Null) return 'null';
    if (f & (F.EnumLiteral | F.Enum)) return this.enumText(type);
    if (type.isStringLiteral()) return JSON.stringify(type.value);
    if (type.isNumberLiteral()) return String(type.value);
    if (f & F.BooleanLiteral) return checker.typeToString(type);
    if (f & (F.String | F.TemplateLiteral | F.StringMapping)) return 'string';
    if (f & F.Number) return 'number';
    if (f & F.Boolean) return 'boolean';
    if (f & (F.BigInt | F.BigIntLiteral)) return 'bigint';
    if (f & F.ESSymbolLike) return 'symbol';
    if (f & F.NonPrimitive) return 'object';
    if (f & F.TypeParameter) {
      const stand = type.getConstraint() ?? type.getDefault();
      return stand === undefined ? 'string' : this.text(stand, depth + 1);
    }
    if (f & (F.Index | F.IndexedAccess | F.Conditional | F.Substitution)) {
      const constraint = checker.getBaseConstraintOfType(type);
      return constraint === undefined || constraint === type ? undefined : this.text(constraint, depth + 1);
    }
    if (type.isUnion()) return this.unionText(type.types, type.aliasSymbol, depth);
    if (type.isIntersection()) {
      // A branded primitive (`string & { __brand: 'Id' }`) is made as the primitive.
      const primitive = type.types.find((t) => t.flags & (F.StringLike | F.NumberLike | F.BooleanLike));
      return primitive !== undefined ? this.text(primitive, depth + 1) : this.objectText(type, depth);
    }
    if (f & F.Object) return this.objectText(type, depth);
    return undefined;
  }

  private unionText(members: readonly Type[], alias: Symbol | undefined, depth: number): string | undefined {
    const { ts } = this.scope;
    const parts: string[] = [];
    const booleans = members.filter((t) => t.flags & ts.TypeFlags.BooleanLiteral).length;
    for (const member of members) {
      if (member.flags & ts.TypeFlags.BooleanLiteral && booleans === 2) {
        if (!parts.includes('boolean')) parts.push('boolean');
        continue;
      }
      const text = this.text(member, depth + 1);
      if (text !== undefined && !parts.includes(text)) parts.push(wrap(text));
    }
    if (parts.length === 0) return undefined;
    if (alias !== undefined && parts.length > 1 && parts.every(isLiteral)) {
      const key = this.keyFor(alias, alias.name);
      this.scope.unions[key] = parts;
      return key;
    }
    return parts.join(' | ');
  }

  private enumText(type: Type): string | undefined {
    const { ts, checker } = this.scope;
    let symbol = type.aliasSymbol ?? type.getSymbol();
    if (symbol !== undefined && symbol.flags & ts.SymbolFlags.EnumMember) {
      const parent = symbol.valueDeclaration?.parent;
      symbol = parent !== undefined && ts.isEnumDeclaration(parent) ? checker.getSymbolAtLocation(parent.name) : undefined;
    }
    const decl = symbol?.declarations?.find(ts.isEnumDeclaration);
    if (symbol === undefined || decl === undefined) return undefined;
    const members = decl.members.map((m) => ({ name: m.name.getText(), value: checker.getConstantValue(m) }));
    const key = this.keyFor(symbol, symbol.name);
    if (Object.hasOwn(this.scope.unions, key) || Object.hasOwn(this.scope.declared, key)) return key;
    const reference = symbol.flags & ts.SymbolFlags.ConstEnum ? undefined : this.reference(symbol);
    if (reference !== undefined && members.every((m) => IDENTIFIER.test(m.name))) {
      this.scope.declared[key] = { ...reference, kind: 'enum', members: members.map((m) => m.name) };
      return key;
    }
    // Not reachable at run time (a const enum, or one nothing exports): its values, as literals.
    const values = members.map((m) => (typeof m.value === 'string' ? JSON.stringify(m.value) : m.value === undefined ? undefined : String(m.value))).filter((v): v is string => v !== undefined);
    if (values.length === 0) return undefined;
    this.scope.unions[key] = values;
    return key;
  }

  private objectText(type: Type, depth: number): string | undefined {
    const { ts, checker } = this.scope;
    const calls = type.getCallSignatures();
    if (calls.length > 0) return this.functionText(mostGeneral(calls) as TsMorph.ts.Signature, depth);
    if (checker.isArrayType(type)) {
      const element = this.text(checker.getTypeArguments(type as TsMorph.ts.TypeReference)[0] as Type, depth + 1);
      return element === undefined ? undefined : `${wrap(element)}[]`;
    }
    if (checker.isTupleType(type)) {
      const reference = type as TsMorph.ts.TypeReference;
      const target = reference.target as TsMorph.ts.TupleType;
      const elements = checker.getTypeArguments(reference).slice(0, target.minLength).map((t) => this.text(t, depth + 1));
      return elements.every((e) => e !== undefined) ? `[${elements.join(', ')}]` : undefined;
    }
    const builtin = this.builtin(type, depth);
    if (builtin !== null) return builtin;
    const symbol = type.getSymbol();
    if (symbol !== undefined && symbol.flags & ts.SymbolFlags.Class) return this.classText(symbol, depth);
    if (type.getConstructSignatures().length > 0) return undefined; // a class itself, not an instance
    const properties = checker.getPropertiesOfType(type);
    const index = checker.getIndexInfosOfType(type).find((info) => info.keyType.flags & ts.TypeFlags.String);
    if (properties.length === 0) {
      if (index === undefined) return '{}';
      return `Record<string, ${this.text(index.type, depth + 1) ?? 'unknown'}>`;
    }
    if (properties.length > MAX_FIELDS) return undefined;
    const name = this.nameOf(type);
    if (name === undefined) {
      const fields = this.fields(properties, depth);
      return fields === undefined ? undefined : `{ ${fields.map((p) => `${p.name}${p.optional ? '?' : ''}: ${p.type === '' ? 'never' : p.type}`).join('; ')} }`;
    }
    if (this.named.has(type)) return this.named.get(type);
    const key = this.keyFor(type, name);
    this.named.set(type, key);
    this.scope.shapes[key] = []; // in place first, so a type that refers to itself stops here
    const fields = this.fields(properties, depth);
    if (fields === undefined) {
      delete this.scope.shapes[key];
      this.named.set(type, undefined);
      return undefined;
    }
    this.scope.shapes[key] = fields;
    return key;
  }

  private fields(properties: readonly Symbol[], depth: number): ParamInfo[] | undefined {
    const { ts, checker } = this.scope;
    const out: ParamInfo[] = [];
    for (const property of properties) {
      const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
      if (!IDENTIFIER.test(property.name)) {
        if (optional) continue;
        return undefined;
      }
      const type = checker.getTypeOfSymbolAtLocation(property, property.valueDeclaration ?? this.scope.subject);
      out.push({ name: property.name, type: this.optionalText(type, optional, depth + 1) ?? '', optional, rest: false });
    }
    return out;
  }

  private functionText(signature: TsMorph.ts.Signature, depth: number): string | undefined {
    const { checker } = this.scope;
    // The callback's own parameters matter only to a reader: they are written as the checker prints them.
    const params = signature.getParameters().map((p, i) => {
      const decl = p.valueDeclaration;
      const type = checker.typeToString(checker.getTypeOfSymbolAtLocation(p, decl ?? this.scope.subject));
      const name = IDENTIFIER.test(p.name) ? p.name : `arg${i}`;
      return `${decl !== undefined && this.scope.ts.isParameter(decl) && decl.dotDotDotToken ? '...' : ''}${name}: ${type}`;
    });
    // `<T extends Action>(action: T) => T` only accepts a callback that hands its argument back: say which one.
    const result = signature.getReturnType();
    const echoed = signature.typeParameters?.includes(result as TsMorph.ts.TypeParameter)
      ? signature.getParameters().find((p) => IDENTIFIER.test(p.name) && checker.getTypeOfSymbolAtLocation(p, p.valueDeclaration ?? this.scope.subject) === result)
      : undefined;
    const returns = echoed !== undefined ? `typeof ${echoed.name}` : this.text(result, depth + 1);
    // A result no value can be written for: no callback written here would type-check either.
    return returns === undefined ? undefined : `(${params.join(', ')}) => ${wrap(returns)}`;
  }

  /** Text for a built-in type pools knows; null when the type is not one. */
  private builtin(type: Type, depth: number): string | undefined | null {
    const { checker } = this.scope;
    const symbol = type.getSymbol();
    if (symbol === undefined || !symbol.declarations?.some((d) => d.getSourceFile().isDeclarationFile)) return null;
    const args = (type as TsMorph.ts.TypeReference).target !== undefined ? checker.getTypeArguments(type as TsMorph.ts.TypeReference) : [];
    return builtinText(symbol.name, (i) => {
      const t = args[i];
      return t === undefined ? 'unknown' : (this.text(t, depth + 1) ?? 'unknown');
    });
  }

  private classText(symbol: Symbol, depth: number): string | undefined {
    const { ts, checker } = this.scope;
    const decl = symbol.declarations?.find(ts.isClassDeclaration);
    if (decl === undefined || decl.getSourceFile().isDeclarationFile) return undefined;
    if (ts.getCombinedModifierFlags(decl) & ts.ModifierFlags.Abstract) return undefined;
    const key = this.keyFor(symbol, symbol.name);
    if (Object.hasOwn(this.scope.declared, key)) return key;
    const reference = this.reference(symbol);
    if (reference === undefined) return undefined;
    const ctor = decl.members.find(ts.isConstructorDeclaration);
    if (ctor !== undefined && ts.getCombinedModifierFlags(ctor) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return undefined;
    const entry: DeclaredValue = { ...reference, kind: 'class', params: [] };
    this.scope.declared[key] = entry;
    const signature = mostGeneral(checker.getTypeOfSymbolAtLocation(symbol, decl).getConstructSignatures());
    entry.params = signature === undefined ? [] : this.params(signature, depth + 1);
    return key;
  }

  /** Where a test can reach a declared class or enum: the module under test when it exports it, else its own project module. */
  private reference(symbol: Symbol): { module: string; name: string } | undefined {
    const fromSubject = this.exportsOf(this.scope.subject).get(symbol);
    if (fromSubject !== undefined) return { module: this.scope.subjectPath, name: fromSubject };
    const file = symbol.declarations?.[0]?.getSourceFile();
    if (file === undefined || file.isDeclarationFile) return undefined;
    // Relative to the root: the target itself may sit under a node_modules folder (a cache), its packages below it.
    const relative = path.relative(this.scope.root, file.fileName).split(path.sep).join('/');
    if (relative.startsWith('..') || /(^|\/)node_modules\//.test(relative)) return undefined;
    const name = this.exportsOf(file).get(symbol);
    return name === undefined ? undefined : { module: relative, name };
  }

  private exportsOf(file: TsMorph.ts.SourceFile): Map<Symbol, string> {
    const cached = this.exportsByFile.get(file);
    if (cached !== undefined) return cached;
    const { ts, checker } = this.scope;
    const map = new Map<Symbol, string>();
    const moduleSymbol = checker.getSymbolAtLocation(file);
    for (const exported of moduleSymbol === undefined ? [] : checker.getExportsOfModule(moduleSymbol)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (!map.has(target)) map.set(target, exported.name);
    }
    this.exportsByFile.set(file, map);
    return map;
  }

  /** The name a named object type is known by (with its type arguments); undefined for anonymous and library utility types. */
  private nameOf(type: Type): string | undefined {
    const { ts, checker, program } = this.scope;
    const fromUserCode = (symbol: Symbol | undefined) => symbol?.declarations?.some((d) => !program.isSourceFileDefaultLibrary(d.getSourceFile())) === true;
    // Arguments as the stand-ins they are made of (`Box<string>` for `Box<T>`), so two uses of one instantiation share a shape.
    const argText = (a: Type) => (a.flags & ts.TypeFlags.TypeParameter ? (this.text(a) ?? checker.typeToString(a)) : checker.typeToString(a));
    const withArgs = (name: string, args: readonly Type[] | undefined) => (args !== undefined && args.length > 0 ? `${name}<${args.map(argText).join(', ')}>` : name);
    if (type.aliasSymbol !== undefined) return fromUserCode(type.aliasSymbol) ? withArgs(type.aliasSymbol.name, type.aliasTypeArguments) : undefined;
    const symbol = type.getSymbol();
    if (symbol === undefined || !(symbol.flags & ts.SymbolFlags.Interface) || !fromUserCode(symbol)) return undefined;
    const reference = type as TsMorph.ts.TypeReference;
    return withArgs(symbol.name, reference.target !== undefined && reference.target !== reference ? checker.getTypeArguments(reference) : undefined);
  }

  /** A key for `owner` that no other type holds: `Options`, then `Options$2` for another type of the same name. */
  private keyFor(owner: Type | Symbol, name: string): string {
    for (let n = 1; ; n++) {
      const key = n === 1 ? name : `${name}$${n}`;
      const holder = this.owners.get(key);
      if (holder === undefined) this.owners.set(key, owner);
      if (holder === undefined || holder === owner) return key;
    }
  }
}

/** The signature with the most parameters (an overload list's most general), the first on a tie. */
export function mostGeneral(signatures: readonly TsMorph.ts.Signature[]): TsMorph.ts.Signature | undefined {
  let best: TsMorph.ts.Signature | undefined;
  for (const signature of signatures) if (best === undefined || signature.getParameters().length > best.getParameters().length) best = signature;
  return best;
}

function isLiteral(text: string): boolean {
  return /^(['"]).*\1$|^-?\d+(\.\d+)?$|^true$|^false$/.test(text);
}
