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
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ts as Ts } from 'ts-morph';
import { HEADER_PREFIX } from '../test-file.js';

type TsApi = typeof Ts;

/** Argument lists per callable label, as `TypeWorld.examples` holds them. */
export type Examples = Record<string, string[][]>;

export interface MineOptions {
  /** Argument lists kept per callable (the first found first). */
  perLabel?: number;
  /** Longest argument list kept, in characters of source. */
  maxLength?: number;
}

const CODE_FENCE = /^(`{3,}|~{3,})[ \t]*([\w+-]*)[^\n]*\n([\s\S]*?)^\1[ \t]*$/gm;
const SCRIPT_LANGUAGES = new Set(['', 'js', 'javascript', 'ts', 'typescript', 'jsx', 'tsx', 'mjs', 'cjs', 'node']);
const TEST_FILE = /(^|\/)(__tests__|tests?)\/.*\.[cm]?[jt]sx?$|\.(test|spec)\.[cm]?[jt]sx?$/;
const SKIPPED_DIR = /^(node_modules|\.git|dist|build|coverage|out|\.next|\.cache|vendor)$/;
/** Globals an example's arrow function may use: they mean the same thing in any test. */
const SAFE_GLOBALS = new Set(['undefined', 'NaN', 'Infinity', 'Math', 'Number', 'String', 'Boolean', 'Array', 'Object', 'JSON', 'Date', 'RegExp', 'Error', 'TypeError', 'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'Promise', 'Symbol', 'BigInt']);
const MAX_FILES = 400;
const MAX_FILE_BYTES = 256 * 1024;
const MAX_ARGUMENT = 200;

/**
 * Argument lists the repository's README*, docs and tests pass to the
 * source's exports, by the labels exploration uses (`slugify`, `default`,
 * `Parser#parse`, `Parser.from`, `utils.clamp`, `new Parser` for a
 * constructor). `exportNames` are the source's value exports (`default`
 * included when it has one).
 */
export async function mineExamples(root: string, source: string, exportNames: readonly string[], options: MineOptions = {}): Promise<Examples> {
  const { ts } = await import('ts-morph');
  const perLabel = options.perLabel ?? 8;
  const maxLength = options.maxLength ?? 400;
  const exports = new Set(exportNames);
  const packageInfo = await nearestPackage(root, source);
  const defaults = exports.has('default') ? defaultNames(source, packageInfo?.name) : new Set<string>();
  const found = new Map<string, Map<string, string[]>>();
  const add = (label: string, args: string[]) => {
    if (args.length === 0 || args.join(', ').length > maxLength) return;
    const lists = found.get(label) ?? new Map<string, string[]>();
    if (lists.size < perLabel) lists.set(args.join(', '), args);
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
  return Object.fromEntries([...found].map(([label, lists]) => [label, [...lists.values()]]));
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
  const fromSource = (spec: string) => specifierIsSource(context, file, spec);
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

interface PackageInfo {
  /** Root-relative folder of the package.json ('' for the root). */
  dir: string;
  name: string | undefined;
  /** Root-relative entry points (`main`, `module`, `exports['.']`), extension dropped. */
  entries: string[];
}

/** The package.json nearest above the source, inside the root. */
async function nearestPackage(root: string, source: string): Promise<PackageInfo | undefined> {
  for (let dir = path.posix.dirname(source); ; dir = path.posix.dirname(dir)) {
    const folder = dir === '.' ? '' : dir;
    const text = await readSmall(path.join(root, folder, 'package.json'));
    if (text !== undefined) {
      try {
        const manifest = JSON.parse(text) as { name?: unknown; main?: unknown; module?: unknown; exports?: unknown };
        const dot = typeof manifest.exports === 'string' ? manifest.exports : (manifest.exports as Record<string, unknown> | undefined)?.['.'];
        const entries = [manifest.main, manifest.module, typeof dot === 'string' ? dot : undefined]
          .filter((entry): entry is string => typeof entry === 'string')
          .map((entry) => stem(path.posix.join(folder, entry)));
        return { dir: folder, name: typeof manifest.name === 'string' ? manifest.name : undefined, entries };
      } catch {
        return { dir: folder, name: undefined, entries: [] };
      }
    }
    if (dir === '.' || dir === '/' || dir === '') return undefined;
  }
}

/** Whether `spec`, imported from `file`, is the source: a relative path to it, or the package's own name (for its entry point, or `name/sub/path`). */
function specifierIsSource(context: MineContext, file: string, spec: string): boolean {
  const target = stem(context.source);
  const candidates = [target, target.replace(/\/index$/, '')];
  if (spec.startsWith('.')) {
    // A doc's snippet may be written from where the doc is or from beside the source.
    const dirs = [path.posix.dirname(file), ...(/\.mdx?$/.test(file) ? [path.posix.dirname(context.source)] : [])];
    return dirs.some((dir) => candidates.includes(stem(path.posix.normalize(path.posix.join(dir, spec)))));
  }
  const info = context.packageInfo;
  if (info?.name === undefined) return false;
  if (spec === info.name) {
    const base = path.posix.basename(target);
    return base === 'index' || info.entries.length === 0 || info.entries.some((entry) => entry === target || path.posix.basename(entry) === base);
  }
  if (!spec.startsWith(`${info.name}/`)) return false;
  const inner = path.posix.join(info.dir, spec.slice(info.name.length + 1));
  return candidates.some((c) => c === inner || c.replace(/^(.*\/)?(src|lib|dist)\//, '$1') === inner.replace(/^(.*\/)?(src|lib|dist)\//, '$1'));
}

/** Names a snippet may call the default export by without importing it: the package's and the file's, in any case, without dashes. */
function defaultNames(source: string, packageName: string | undefined): Set<string> {
  const names = new Set<string>();
  const base = path.posix.basename(stem(source));
  if (base !== 'index') names.add(squash(base));
  else names.add(squash(path.posix.basename(path.posix.dirname(source))));
  if (packageName !== undefined) names.add(squash(packageName.replace(/^@[^/]+\//, '')));
  names.delete('');
  return names;
}

function squash(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function stem(file: string): string {
  return file.replace(/\.(d\.)?[cm]?[jt]sx?$/, '');
}

function mentionsAny(text: string, exports: ReadonlySet<string>, defaults: ReadonlySet<string>): boolean {
  if ([...exports].some((name) => name !== 'default' && text.includes(name))) return true;
  const squashed = squash(text);
  return [...defaults].some((name) => squashed.includes(name));
}

/** The READMEs (root and the source's package), docs/**\/*.md, and test files: root-relative, capped. */
async function candidateFiles(root: string, source: string, packageDir: string | undefined): Promise<{ docs: string[]; tests: string[] }> {
  const docs: string[] = [];
  const tests: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path.join(root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (docs.length + tests.length >= MAX_FILES) return;
      const file = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIR.test(entry.name) && !entry.name.startsWith('.')) await walk(file);
      } else if (entry.isFile()) {
        if (file === source) continue;
        const readmeHere = /^readme[^/]*\.md$/i.test(entry.name) && (dir === '' || dir === packageDir);
        if (readmeHere || (/(^|\/)docs\/.*\.mdx?$/i.test(file))) docs.push(file);
        else if (TEST_FILE.test(file)) tests.push(file);
      }
    }
  };
  await walk('');
  return { docs, tests };
}

async function readSmall(file: string): Promise<string | undefined> {
  try {
    if ((await stat(file)).size > MAX_FILE_BYTES) return undefined;
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}
