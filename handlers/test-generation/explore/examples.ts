/**
 * Examples from the repository: the calls a README, the docs or the existing
 * tests make to a module's exports, with arguments written as plain literals
 * (`slugify('Foo Bar')`, `new Parser({ strict: true }).parse('a=1')`). They
 * are the inputs a person chose to show the code working, so exploration
 * tries them before the values it makes up from types and names: a function
 * whose only good inputs are a format the types do not say (`ms('2 days')`)
 * gets a realistic call. Only self-contained arguments are taken (literals,
 * arrays and objects of them, arrow functions that use nothing but their own
 * parameters and a few globals); anything naming a variable of the snippet
 * cannot be repeated in a test and is left out.
 */
import path from 'node:path';
import type { ts as Ts } from 'ts-morph';
import { HEADER_PREFIX } from '../test-file.js';
import { renderArgument } from './example-arguments.js';
import { candidateFiles, defaultNames, mentionsAny, nearestPackage, readSmall, specifierIsSource, squash, type PackageInfo } from './example-files.js';
import { loadTsMorph } from '../../../src/runtime/ts-morph.js';

type TsApi = typeof Ts;

/** Argument lists per callable label, as `TypeWorld.examples` holds them. */
export type Examples = Record<string, string[][]>;

export interface MineOptions {
  /** Argument lists kept per callable (the first found first; over this, each way of calling before a second of the same, see `varied`). */
  perLabel?: number;
  /** Longest argument list kept, in characters of source. */
  maxLength?: number;
}

const CODE_FENCE = /^(`{3,}|~{3,})[ \t]*([\w+-]*)[^\n]*\n([\s\S]*?)^\1[ \t]*$/gm;
const SCRIPT_LANGUAGES = new Set(['', 'js', 'javascript', 'ts', 'typescript', 'jsx', 'tsx', 'mjs', 'cjs', 'node']);

/**
 * Argument lists the repository's README*, docs and tests pass to the
 * source's exports, by the labels exploration uses (`slugify`, `default`,
 * `Parser#parse`, `Parser.from`, `utils.clamp`, `new Parser` for a
 * constructor). `exportNames` are the source's value exports (`default`
 * included when it has one).
 */
export async function mineExamples(root: string, source: string, exportNames: readonly string[], options: MineOptions = {}): Promise<Examples> {
  const { ts } = loadTsMorph();
  const perLabel = options.perLabel ?? 16;
  const maxLength = options.maxLength ?? 400;
  const exports = new Set(exportNames);
  const packageInfo = await nearestPackage(root, source);
  // The names a README gives the module itself (`ms`, `contentType`): its default export when it has one, else a namespace (`contentType.parse(...)`).
  const defaults = defaultNames(source, packageInfo?.name);
  const found = new Map<string, Map<string, string[]>>();
  const add = (label: string, args: string[]) => {
    if (args.length === 0 || args.join(', ').length > maxLength) return;
    const lists = found.get(label) ?? new Map<string, string[]>();
    if (lists.size < MAX_FOUND) lists.set(args.join(', '), args);
    found.set(label, lists);
  };
  const context: MineContext = { ts, root, source, exports, defaults, packageInfo, add };
  const files = await candidateFiles(root, source, packageInfo?.dir);
  for (const file of files.docs) {
    const text = await readSmall(path.join(root, file));
    if (text === undefined) continue;
    for (const block of text.matchAll(CODE_FENCE)) {
      if (!SCRIPT_LANGUAGES.has((block[2] ?? '').toLowerCase())) continue;
      // A REPL transcript (`> ms('2d')`) reads as code once its prompts are gone.
      const code = (block[3] ?? '').replace(/^[ \t]*>[ \t]?/gm, '');
      if (mentionsAny(code, exports, defaults)) mineSnippet(context, file, code, true);
    }
  }
  for (const file of files.tests) {
    const text = await readSmall(path.join(root, file));
    // Generated tests hold the values exploration made up: learning from them would only repeat them.
    if (text === undefined || text.startsWith(HEADER_PREFIX) || !mentionsAny(text, exports, defaults)) continue;
    mineSnippet(context, file, text, false);
  }
  return Object.fromEntries([...found].map(([label, lists]) => [label, varied([...lists.values()], perLabel)]));
}

/** Argument lists looked at per callable before choosing which to keep. */
const MAX_FOUND = 100;

/**
 * At most `limit` of the argument lists, each way of calling (how many
 * arguments, and of what kind) before a second of the same way, in the order
 * first found. A README often shows a dozen strings before it shows the
 * number or the options object (`ms('2 days')` ... then `ms(60000)` and
 * `ms(60000, { long: true })`); the first found alone would be only strings,
 * and the code behind the other ways never reached.
 */
export function varied(lists: readonly string[][], limit: number): string[][] {
  if (lists.length <= limit) return [...lists];
  const ways = new Map<string, string[][]>();
  for (const args of lists) {
    const way = args.map(argumentKind).join(',');
    ways.set(way, [...(ways.get(way) ?? []), args]);
  }
  const groups = [...ways.values()];
  const out: string[][] = [];
  for (let k = 0; out.length < limit; k++) for (const group of groups) if (k < group.length && out.length < limit) out.push(group[k] as string[]);
  return out;
}

/** The kind of value an argument's source makes: what decides the path through code that branches on `typeof`. */
function argumentKind(source: string): string {
  if (/^["'`]/.test(source)) return 'string';
  if (/^[-+(]?[\d.(]|^[-+]?Infinity$|^NaN$/.test(source)) return 'number';
  if (/^(true|false)$/.test(source)) return 'boolean';
  if (/^(null|undefined)$/.test(source)) return 'nothing';
  if (source.startsWith('[')) return 'array';
  if (source.startsWith('{')) return 'object';
  if (source.startsWith('/')) return 'regexp';
  return 'function';
}

interface MineContext {
  ts: TsApi;
  root: string;
  source: string;
  exports: ReadonlySet<string>;
  defaults: ReadonlySet<string>;
  packageInfo: PackageInfo | undefined;
  add: (label: string, args: string[]) => void;
}

/** What a name in a snippet stands for. */
type Binding = { kind: 'module' } | { kind: 'export'; name: string } | { kind: 'instance'; cls: string } | { kind: 'other' };

/** Record the calls one file or code block makes; `loose`: names nobody declared may mean the exports (docs omit imports). */
function mineSnippet(context: MineContext, file: string, code: string, loose: boolean): void {
  const { ts } = context;
  const kind = /\.[cm]?tsx?$|\.md$/.test(file) ? ts.ScriptKind.TSX : ts.ScriptKind.JSX;
  const tree = ts.createSourceFile('snippet.tsx', code, ts.ScriptTarget.Latest, true, kind);
  const bindings = new Map<string, Binding>();
  const fromSource = (spec: string) => specifierIsSource(context.source, context.packageInfo, file, spec);
  // Declarations first, so a call earlier in the text than its variable still resolves.
  const declare = (node: Ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.importClause && !node.importClause.isTypeOnly) {
      const ours = fromSource(node.moduleSpecifier.text);
      const clause = node.importClause;
      if (clause.name) bindings.set(clause.name.text, ours ? { kind: 'module' } : { kind: 'other' });
      const named = clause.namedBindings;
      if (named && ts.isNamespaceImport(named)) bindings.set(named.name.text, ours ? { kind: 'module' } : { kind: 'other' });
      if (named && ts.isNamedImports(named)) {
        for (const element of named.elements) bindings.set(element.name.text, ours ? { kind: 'export', name: (element.propertyName ?? element.name).text } : { kind: 'other' });
      }
    } else if (ts.isVariableDeclaration(node)) {
      const required = requiredSpecifier(ts, node.initializer);
      if (ts.isIdentifier(node.name)) {
        if (required !== undefined) bindings.set(node.name.text, fromSource(required) ? { kind: 'module' } : { kind: 'other' });
        else {
          const made = node.initializer && ts.isNewExpression(node.initializer) ? classOf(node.initializer.expression) : undefined;
          bindings.set(node.name.text, made !== undefined ? { kind: 'instance', cls: made } : { kind: 'other' });
        }
      } else if (ts.isObjectBindingPattern(node.name)) {
        const ours = required !== undefined && fromSource(required);
        for (const element of node.name.elements) {
          if (!ts.isIdentifier(element.name)) continue;
          const imported = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
          bindings.set(element.name.text, ours ? { kind: 'export', name: imported } : { kind: 'other' });
        }
      }
    } else if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name) {
      bindings.set(node.name.text, { kind: 'other' });
    } else if (ts.isParameter(node) && ts.isIdentifier(node.name)) {
      bindings.set(node.name.text, { kind: 'other' });
    }
    ts.forEachChild(node, declare);
  };
  declare(tree);

  function resolve(name: string): Binding | undefined {
    const bound = bindings.get(name);
    // A name imported from the source that it does not export (a type, a stale import) reaches nothing here.
    if (bound?.kind === 'export' && !context.exports.has(bound.name)) return { kind: 'other' };
    if (bound !== undefined) return bound;
    if (!loose) return undefined;
    if (context.exports.has(name) && name !== 'default') return { kind: 'export', name };
    if (context.defaults.has(squash(name))) return { kind: 'module' };
    return undefined;
  }
  /** The exported class a `new` target names (`Parser`, `lib.Parser`, a default-exported class). */
  function classOf(target: Ts.Expression): string | undefined {
    if (ts.isIdentifier(target)) {
      const bound = resolve(target.text);
      if (bound?.kind === 'export') return bound.name;
      if (bound?.kind === 'module') return 'default';
    } else if (ts.isPropertyAccessExpression(target) && ts.isIdentifier(target.expression) && resolve(target.expression.text)?.kind === 'module') {
      return context.exports.has(target.name.text) ? target.name.text : undefined;
    }
    return undefined;
  }
  /** The label of what a call (or `new`) reaches, if it is one of the source's exports. */
  function labelOf(node: Ts.CallExpression | Ts.NewExpression): string | undefined {
    const callee = node.expression;
    if (ts.isNewExpression(node)) {
      const cls = classOf(callee);
      return cls === undefined ? undefined : `new ${cls}`;
    }
    if (ts.isIdentifier(callee)) {
      const bound = resolve(callee.text);
      if (bound?.kind === 'export') return bound.name;
      if (bound?.kind === 'module' && context.exports.has('default')) return 'default';
      return undefined;
    }
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    const member = callee.name.text;
    const owner = callee.expression;
    if (ts.isNewExpression(owner)) {
      const cls = classOf(owner.expression);
      return cls === undefined ? undefined : `${cls}#${member}`;
    }
    if (ts.isParenthesizedExpression(owner) && ts.isNewExpression(owner.expression)) {
      const cls = classOf(owner.expression.expression);
      return cls === undefined ? undefined : `${cls}#${member}`;
    }
    if (ts.isIdentifier(owner)) {
      const bound = resolve(owner.text);
      if (bound?.kind === 'instance') return `${bound.cls}#${member}`;
      if (bound?.kind === 'export') return `${bound.name}.${member}`;
      if (bound?.kind === 'module') return context.exports.has(member) ? member : undefined;
      return undefined;
    }
    // `lib.utils.clamp(...)`: a method of an exported object reached through the module.
    if (ts.isPropertyAccessExpression(owner) && ts.isIdentifier(owner.expression) && resolve(owner.expression.text)?.kind === 'module' && context.exports.has(owner.name.text)) {
      return `${owner.name.text}.${member}`;
    }
    return undefined;
  }
  const visit = (node: Ts.Node): void => {
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments !== undefined) {
      const label = labelOf(node);
      if (label !== undefined) {
        const args = node.arguments.map((arg) => renderArgument(ts, arg));
        if (args.every((arg): arg is string => arg !== undefined)) context.add(label, args);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
}

/** `require('x')` (or `require('x').default`): the specifier. */
function requiredSpecifier(ts: TsApi, init: Ts.Expression | undefined): string | undefined {
  let node = init;
  if (node && ts.isPropertyAccessExpression(node) && node.name.text === 'default') node = node.expression;
  if (!node || !ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'require') return undefined;
  const spec = node.arguments[0];
  return spec && ts.isStringLiteral(spec) ? spec.text : undefined;
}
