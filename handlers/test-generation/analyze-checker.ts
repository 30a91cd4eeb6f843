/**
 * Types from the type checker. The syntax-only analysis knows a parameter's
 * type as written (`options: Options`, `updater: Updater<T, U>`, `color:
 * Color`), which says nothing when the name comes from another module or a
 * package. This pass asks the target's own TypeScript program what each
 * parameter of an exported function, class constructor, method and object
 * method really is, and rewrites its type as text the candidate pools can make
 * values of (see type-text.ts), filling the analysis's `shapes`, `unions`
 * and `declared` with the named types it met. Overloads give their most
 * general signature; a parameter the checker cannot help with keeps its
 * written type, so the pass only ever adds what is known.
 */
import path from 'node:path';
import type * as TsMorph from 'ts-morph';
import { programFor, type CheckerProgram } from './checker-project.js';
import { mostGeneral, TypeWriter } from './type-text.js';
import type { MethodInfo, ModuleAnalysis, ParamInfo } from './types.js';

const TYPED_SOURCE = /\.(ts|tsx|mts|cts)$/;
/** Types that say nothing a value can be made from: another signature's may say more. */
const VAGUE = /^(|any|unknown|any\[\]|unknown\[\]|\{\})$/;

/**
 * Refine the analyses (root-relative source -> analysis, from analyzeSource)
 * of TypeScript sources in place with the types the checker resolves.
 */
export async function refineWithChecker(root: string, analyses: ReadonlyMap<string, ModuleAnalysis>): Promise<void> {
  const sources = [...analyses.keys()].filter((source) => {
    const analysis = analyses.get(source) as ModuleAnalysis;
    return TYPED_SOURCE.test(source) && !/\.d\.[cm]?ts$/.test(source) && analysis.syntaxErrors.length === 0 && analysis.format !== 'cjs';
  });
  if (sources.length === 0) return;
  let checked: CheckerProgram;
  try {
    checked = await programFor(root, sources);
  } catch {
    // No program (a tsconfig TypeScript rejects, a file that vanished): the syntax-only analysis stands.
    return;
  }
  for (const source of sources) {
    try {
      refineOne(checked, path.resolve(root), source, analyses.get(source) as ModuleAnalysis);
    } catch {
      // A checker failure on one module (a compiler bug, a type too deep) leaves its syntax-only analysis, which is still right.
    }
  }
}

function refineOne(checked: CheckerProgram, root: string, source: string, analysis: ModuleAnalysis): void {
  const { ts, program, checker } = checked;
  const file = program.getSourceFile(path.resolve(root, source));
  if (file === undefined) return;
  const moduleSymbol = checker.getSymbolAtLocation(file);
  if (moduleSymbol === undefined) return;
  const exports = new Map<string, TsMorph.ts.Symbol>();
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    exports.set(exported.name, exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported);
  }
  const writer = new TypeWriter({ ts, checker, program, root, subject: file, subjectPath: source, shapes: analysis.shapes, unions: analysis.unions, declared: (analysis.declared ??= {}) });
  const typeOf = (symbol: TsMorph.ts.Symbol) => checker.getTypeOfSymbolAtLocation(symbol, symbol.valueDeclaration ?? file);
  /**
   * Rewrite `params` (the implementation's, as written) from the signatures of
   * `symbol`: the implementation's own types where they say something, else
   * those of the most general overload that lines up with it.
   */
  const refine = (params: ParamInfo[], symbol: TsMorph.ts.Symbol, signatures: readonly TsMorph.ts.Signature[]) => {
    const body = symbol.declarations?.find((d) => ts.isFunctionLike(d) && (d as TsMorph.ts.FunctionLikeDeclaration).body !== undefined) as TsMorph.ts.SignatureDeclaration | undefined;
    const implementation = body === undefined ? undefined : checker.getSignatureFromDeclaration(body);
    const aligned = signatures.filter((s) => linesUp(s, params, ts));
    const overload = aligned.length > 0 ? aligned[aligned.length - 1] : mostGeneral(signatures);
    const own = implementation !== undefined && !signatures.includes(implementation) ? writer.params(implementation) : [];
    const general = overload === undefined ? [] : writer.params(overload);
    params.forEach((param, i) => {
      const found = [own[i], general[i]].find((p) => p !== undefined && p.rest === param.rest && !VAGUE.test(p.type));
      if (found === undefined) return;
      param.type = found.type;
      param.optional ||= found.optional;
      if (found.default !== undefined) param.default = found.default;
    });
  };

  for (const fn of analysis.functions) {
    const symbol = exports.get(fn.name);
    if (symbol !== undefined) refine(fn.params, symbol, typeOf(symbol).getCallSignatures());
  }
  for (const cls of analysis.classes) {
    const symbol = exports.get(cls.name);
    if (symbol === undefined || !(symbol.flags & ts.SymbolFlags.Class)) continue;
    const constructorType = typeOf(symbol);
    if (cls.ctorParams !== undefined) refine(cls.ctorParams, symbol.members?.get(ts.InternalSymbolName.Constructor) ?? symbol, constructorType.getConstructSignatures());
    const instanceType = checker.getDeclaredTypeOfSymbol(symbol);
    for (const method of cls.methods) {
      const property = checker.getPropertyOfType(method.static ? constructorType : instanceType, method.name);
      if (property !== undefined) refine(method.params, property, typeOf(property).getCallSignatures());
    }
  }
  for (const value of analysis.consts) {
    const symbol = exports.get(value.name);
    if (symbol === undefined) continue;
    const objectType = typeOf(symbol);
    // A const made by a call (`export const base64 = chain(...)`) shows no methods in its syntax; its type does.
    if (value.methods.length === 0 && objectType.getCallSignatures().length === 0) {
      value.methods.push(...typedMethods(objectType));
      continue;
    }
    for (const method of value.methods) {
      const property = checker.getPropertyOfType(objectType, method.name);
      if (property !== undefined) refine(method.params, property, typeOf(property).getCallSignatures());
    }
  }

  /** The methods a value's type gives it (at most a dozen, named as a test can call them). */
  function typedMethods(type: TsMorph.ts.Type): MethodInfo[] {
    const out: MethodInfo[] = [];
    for (const property of type.getProperties()) {
      if (out.length >= 12 || !/^[A-Za-z_$][\w$]*$/.test(property.name)) continue;
      const signature = typeOf(property).getCallSignatures()[0];
      if (signature === undefined) continue;
      const returns = checker.typeToString(signature.getReturnType());
      out.push({ name: property.name, params: writer.params(signature), returns: returns.length > 80 ? '' : returns, async: /^Promise</.test(returns), static: false });
    }
    return out;
  }
}

/** Whether a signature's parameters are the written ones: as many, and the rest parameter in the same place. */
function linesUp(signature: TsMorph.ts.Signature, params: readonly ParamInfo[], ts: typeof TsMorph.ts): boolean {
  const own = signature.getParameters();
  return own.length === params.length && own.every((p, i) => {
    const decl = p.valueDeclaration;
    return (decl !== undefined && ts.isParameter(decl) && decl.dotDotDotToken !== undefined) === params[i]?.rest;
  });
}
