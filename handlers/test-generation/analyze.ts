/**
 * Finds what a TS/JS module offers to test, from its syntax alone: exported
 * functions, classes, consts and objects, default exports and re-exports,
 * Fastify routes, and the environment variables it reads. ts-morph is loaded
 * on first use and one Project serves every file; nothing is resolved or
 * type-checked, so analysing a file costs little more than parsing it. Return
 * types not written in the source are read off the `return` statements.
 */
import type * as TsMorph from 'ts-morph';
import type { ClassInfo, ConstInfo, MethodInfo, ModuleAnalysis, ParamInfo, RouteInfo } from './types.js';
import { analyzeCommonJs, isCommonJs } from './analyze-cjs.js';
import { inferParam } from './infer-js.js';
import { loadTsMorph } from '../../src/runtime/ts-morph.js';

type Morph = typeof TsMorph;
let loaded: { morph: Morph; project: TsMorph.Project } | undefined;

/** Load ts-morph and make the shared Project (once). */
export async function loadAnalyzer(): Promise<void> {
  if (loaded) return;
  const morph = loadTsMorph();
  const project = new morph.Project({
    useInMemoryFileSystem: true,
    skipFileDependencyResolution: true,
    skipAddingFilesFromTsConfig: true,
    compilerOptions: { allowJs: true, noResolve: true, noLib: true, jsx: morph.ts.JsxEmit.Preserve },
  });
  loaded = { morph, project };
}

/** The TypeScript compiler API that ts-morph carries (after loadAnalyzer()). */
export function compilerApi(): Morph['ts'] {
  if (!loaded) throw new Error('compilerApi called before loadAnalyzer()');
  return loaded.morph.ts;
}

/** Names a test can write as `x.name` (quoted, computed and #private names are left out). */
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'all']);

/** Analyse one module's text; `fileName` decides TS or JS (and JSX) parsing. Call loadAnalyzer() first. */
export function analyzeSource(fileName: string, text: string): ModuleAnalysis {
  if (!loaded) throw new Error('analyzeSource called before loadAnalyzer()');
  const { morph, project } = loaded;
  const { SyntaxKind, Node, ts } = morph;
  const file = project.createSourceFile(`/analysis/${fileName.replace(/^\/+/, '')}`, text, { overwrite: true });
  try {
    const result: ModuleAnalysis = {
      functions: [],
      classes: [],
      consts: [],
      reexports: [],
      defaultExport: undefined,
      imports: [],
      routes: [],
      plugin: undefined,
      env: [],
      shapes: {},
      unions: {},
      importBindings: [],
      syntaxErrors: syntaxErrors(file.compilerNode, ts),
    };
    if (result.syntaxErrors.length > 0) return result;

    for (const decl of file.getImportDeclarations()) {
      const from = decl.getModuleSpecifierValue();
      result.imports.push(from);
      const local = decl.getDefaultImport()?.getText();
      if (local) result.importBindings.push({ local, imported: 'default', from });
      for (const spec of decl.getNamedImports()) result.importBindings.push({ local: spec.getAliasNode()?.getText() ?? spec.getName(), imported: spec.getName(), from });
    }

    // Local names that are exported under some name, from `export { a as b }`.
    const exportedAs = new Map<string, string[]>();
    for (const decl of file.getExportDeclarations()) {
      if (decl.isTypeOnly()) continue; // types are not there at run time
      const from = decl.getModuleSpecifierValue();
      const named = decl.getNamedExports().filter((spec) => !spec.isTypeOnly());
      if (from !== undefined) {
        if (decl.getNamedExports().length === 0 && !decl.isNamespaceExport()) result.reexports.push(`* from ${from}`);
        else if (decl.isNamespaceExport()) result.reexports.push(decl.getNamespaceExport()?.getName() ?? `* from ${from}`);
        for (const spec of named) result.reexports.push(spec.getAliasNode()?.getText() ?? spec.getName());
        continue;
      }
      for (const spec of named) {
        const local = spec.getName();
        exportedAs.set(local, [...(exportedAs.get(local) ?? []), spec.getAliasNode()?.getText() ?? local]);
      }
    }
    const usedLocals = new Set<string>();
    const namesOf = (local: string | undefined, exported: boolean, isDefault: boolean): string[] => {
      if (local) usedLocals.add(local);
      return [...(isDefault ? ['default'] : exported && local ? [local] : []), ...(local ? (exportedAs.get(local) ?? []) : [])];
    };

    for (const fn of file.getFunctions()) {
      for (const name of namesOf(fn.getName(), fn.hasExportKeyword(), fn.hasDefaultKeyword())) {
        result.functions.push({ name, params: params(fn.getParameters()), returns: returnType(fn), async: fn.isAsync() });
        if (name === 'default') result.defaultExport = 'function';
      }
    }
    for (const cls of file.getClasses()) {
      for (const name of namesOf(cls.getName(), cls.hasExportKeyword(), cls.hasDefaultKeyword())) {
        result.classes.push(classInfo(name, cls));
        if (name === 'default') result.defaultExport = 'class';
      }
    }
    for (const statement of file.getVariableStatements()) {
      for (const decl of statement.getDeclarations()) {
        const nameNode = decl.getNameNode();
        if (!Node.isIdentifier(nameNode)) continue;
        for (const name of namesOf(nameNode.getText(), statement.hasExportKeyword(), false)) addVariable(name, decl.getInitializer());
      }
    }
    for (const assignment of file.getExportAssignments()) {
      if (assignment.isExportEquals()) continue;
      const expression = assignment.getExpression();
      if (Node.isIdentifier(expression)) {
        const local = expression.getText();
        const fn = file.getFunction(local);
        const cls = file.getClass(local);
        const variable = file.getVariableDeclaration(local);
        if (fn) result.functions.push({ name: 'default', params: params(fn.getParameters()), returns: returnType(fn), async: fn.isAsync() });
        else if (cls) result.classes.push(classInfo('default', cls));
        else if (variable) addVariable('default', variable.getInitializer());
        result.defaultExport = fn ? 'function' : cls ? 'class' : result.defaultExport ?? 'value';
        if (variable) result.defaultExport = kindOfInitializer(variable.getInitializer());
      } else {
        addVariable('default', expression);
        result.defaultExport = kindOfInitializer(expression);
      }
    }

    // A CommonJS module exports by assignment; it is read with this file's readers of signatures and classes.
    if (isCommonJs(fileName, file, morph)) analyzeCommonJs(file, morph, result, { callable: (node) => ({ params: params(node.getParameters()), returns: returnType(node), async: node.isAsync() }), classInfo });

    // `import x from './x'; export { x }`: a value from elsewhere, known here by name only.
    for (const [local, aliases] of exportedAs) {
      if (usedLocals.has(local) || !isImported(local)) continue;
      result.reexports.push(...aliases);
    }
    result.functions = firstByName(result.functions);
    result.classes = firstByName(result.classes);
    result.consts = firstByName(result.consts);

    for (const decl of file.getInterfaces()) {
      if (decl.getExtends().length > 0 || decl.getTypeParameters().length > 0) continue;
      const members = decl.getMembers();
      if (!members.every((m) => Node.isPropertySignature(m))) continue; // methods or index signatures: no plain literal fits
      result.shapes[decl.getName()] = decl.getProperties().map(property);
    }
    for (const alias of file.getTypeAliases()) {
      const node = alias.getTypeNode();
      if (node && Node.isUnionTypeNode(node) && alias.getTypeParameters().length === 0) {
        const parts = node.getTypeNodes().map((part) => part.getText());
        if (parts.every((part) => /^(['"]).*\1$|^-?\d+(\.\d+)?$|^true$|^false$/.test(part))) result.unions[alias.getName()] = parts;
      }
      if (alias.getTypeParameters().length > 0 || !node || !Node.isTypeLiteral(node)) continue;
      if (!node.getMembers().every((m) => Node.isPropertySignature(m))) continue;
      result.shapes[alias.getName()] = node.getProperties().map(property);
    }

    scanDeep(file.compilerNode, ts, result);
    if (result.routes.length > 0) result.plugin = pluginExport(result);
    return result;

    function isImported(local: string): boolean {
      return file.getImportDeclarations().some((decl) => {
        if (decl.isTypeOnly()) return false;
        if (decl.getDefaultImport()?.getText() === local || decl.getNamespaceImport()?.getText() === local) return true;
        return decl.getNamedImports().some((spec) => !spec.isTypeOnly() && (spec.getAliasNode()?.getText() ?? spec.getName()) === local);
      });
    }

    function addVariable(name: string, init: TsMorph.Node | undefined): void {
      const inner = init && Node.isAsExpression(init) ? init.getExpression() : init;
      if (inner && (Node.isArrowFunction(inner) || Node.isFunctionExpression(inner))) {
        result.functions.push({ name, params: params(inner.getParameters()), returns: returnType(inner), async: inner.isAsync() });
        if (name === 'default') result.defaultExport = 'function';
        return;
      }
      const info: ConstInfo = { name, literal: undefined, keys: [], methods: [] };
      if (inner && Node.isStringLiteral(inner)) info.literal = inner.getLiteralValue();
      else if (inner && Node.isNoSubstitutionTemplateLiteral(inner)) info.literal = inner.getLiteralValue();
      else if (inner && Node.isNumericLiteral(inner)) info.literal = inner.getLiteralValue();
      else if (inner && inner.getKind() === SyntaxKind.TrueKeyword) info.literal = true;
      else if (inner && inner.getKind() === SyntaxKind.FalseKeyword) info.literal = false;
      else if (inner && Node.isObjectLiteralExpression(inner)) {
        for (const property of inner.getProperties()) {
          if (Node.isMethodDeclaration(property)) {
            info.keys.push(property.getName());
            info.methods.push(methodInfo(property.getName(), property, false));
          } else if (Node.isPropertyAssignment(property)) {
            info.keys.push(property.getName());
            const value = property.getInitializer();
            if (value && (Node.isArrowFunction(value) || Node.isFunctionExpression(value))) info.methods.push(methodInfo(property.getName(), value, false));
          } else if (Node.isShorthandPropertyAssignment(property)) {
            info.keys.push(property.getName());
          }
        }
        info.keys = info.keys.filter((key) => IDENTIFIER.test(key));
        info.methods = info.methods.filter((method) => info.keys.includes(method.name));
      }
      result.consts.push(info);
    }

    function kindOfInitializer(init: TsMorph.Node | undefined): ModuleAnalysis['defaultExport'] {
      if (init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init))) return 'function';
      if (init && Node.isClassExpression(init)) return 'class';
      return 'value';
    }

    function classInfo(name: string, cls: TsMorph.ClassDeclaration | TsMorph.ClassExpression): ClassInfo {
      const ctor = cls.getConstructors()[0];
      const methods = cls
        .getMethods()
        .filter((m) => !m.hasModifier(SyntaxKind.PrivateKeyword) && !m.hasModifier(SyntaxKind.ProtectedKeyword) && IDENTIFIER.test(m.getName()))
        .filter((m) => !m.isAbstract() && (m.isImplementation() || m.getBody() !== undefined))
        .map((m) => methodInfo(m.getName(), m, m.isStatic()));
      const unique = [...new Map(methods.map((m) => [`${m.static}:${m.name}`, m])).values()];
      return { name, ctorParams: ctor ? params(ctor.getParameters()) : undefined, methods: unique, abstract: cls.isAbstract() };
    }

    function methodInfo(name: string, node: TsMorph.MethodDeclaration | TsMorph.ArrowFunction | TsMorph.FunctionExpression, isStatic: boolean): MethodInfo {
      return { name, params: params(node.getParameters()), returns: returnType(node), async: node.isAsync(), static: isStatic };
    }

    function returnType(node: TsMorph.FunctionDeclaration | TsMorph.MethodDeclaration | TsMorph.ArrowFunction | TsMorph.FunctionExpression): string {
      const written = node.getReturnTypeNode()?.getText();
      if (written) return written;
      const inferred = inferFromBody(node.compilerNode, ts);
      return node.isAsync() && inferred !== '' ? `Promise<${inferred}>` : node.isAsync() ? 'Promise<unknown>' : inferred;
    }
  } finally {
    project.removeSourceFile(file);
  }
}

function property(p: TsMorph.PropertySignature): ParamInfo {
  return { name: p.getName(), type: p.getTypeNode()?.getText() ?? '', optional: p.hasQuestionToken(), rest: false };
}

/** Keep the first entry of each name (a name exported twice is tested once). */
function firstByName<T extends { name: string }>(entries: T[]): T[] {
  const seen = new Set<string>();
  return entries.filter((entry) => !seen.has(entry.name) && Boolean(seen.add(entry.name)));
}

function params(list: TsMorph.ParameterDeclaration[]): ParamInfo[] {
  return list
    .filter((p) => p.getName() !== 'this')
    .map((p) => {
      const written = p.getTypeNode()?.getText();
      // No written type (plain JavaScript): what JSDoc, the default and the body's uses say.
      const inferred = written === undefined && loaded ? inferParam(p.compilerNode, loaded.morph.ts) : undefined;
      return {
        name: p.getName(),
        type: written ?? inferred?.type ?? '',
        optional: p.hasQuestionToken() || p.hasInitializer() || inferred?.optional === true,
        rest: p.isRestParameter(),
      };
    });
}

/** Parse errors recorded by the TypeScript parser (its `parseDiagnostics`, kept on every source file). */
function syntaxErrors(node: TsMorph.ts.SourceFile, ts: Morph['ts']): string[] {
  // parseDiagnostics is internal to TypeScript but present on every parsed file; it avoids building a Program.
  const diagnostics = (node as unknown as { parseDiagnostics?: TsMorph.ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  return diagnostics.slice(0, 5).map((d) => {
    const { line, character } = node.getLineAndCharacterOfPosition(d.start);
    return `line ${line + 1}, column ${character + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

/** The type of what a body returns, when every `return` says it plainly; '' when unsure. */
function inferFromBody(node: TsMorph.ts.Node, ts: Morph['ts']): string {
  const fn = node as TsMorph.ts.FunctionLikeDeclaration;
  const body = fn.body;
  if (body === undefined) return '';
  if (!ts.isBlock(body)) return literalType(body, ts);
  const kinds = new Set<string>();
  let bare = false;
  const visit = (child: TsMorph.ts.Node): void => {
    if (ts.isFunctionLike(child) || ts.isClassLike(child)) return; // returns of nested functions are theirs
    if (ts.isReturnStatement(child)) {
      if (child.expression === undefined) bare = true;
      else kinds.add(literalType(child.expression, ts));
    }
    ts.forEachChild(child, visit);
  };
  ts.forEachChild(body, visit);
  if (kinds.size === 0) return fn.asteriskToken ? '' : 'void';
  if (bare || kinds.size > 1 || kinds.has('')) return '';
  return [...kinds][0] ?? '';
}

function literalType(expression: TsMorph.ts.Expression, ts: Morph['ts']): string {
  let e = expression;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isTemplateExpression(e)) return 'string';
  if (ts.isNumericLiteral(e)) return 'number';
  if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword) return 'boolean';
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return 'boolean';
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    const comparisons = [
      ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken,
      ts.SyntaxKind.ExclamationEqualsToken, ts.SyntaxKind.LessThanToken, ts.SyntaxKind.GreaterThanToken,
      ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.InstanceOfKeyword, ts.SyntaxKind.InKeyword,
    ];
    if (comparisons.includes(op)) return 'boolean';
  }
  if (ts.isArrayLiteralExpression(e)) return 'unknown[]';
  if (ts.isObjectLiteralExpression(e)) return 'object';
  return '';
}

/** Routes, env reads: a walk over the whole tree with the bare compiler API (cheap). */
function scanDeep(root: TsMorph.ts.SourceFile, ts: Morph['ts'], result: ModuleAnalysis): void {
  const env = new Set<string>();
  const isProcessEnv = (e: TsMorph.ts.Expression): boolean =>
    ts.isPropertyAccessExpression(e) && e.name.text === 'env' && ts.isIdentifier(e.expression) && e.expression.text === 'process';
  const visit = (node: TsMorph.ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && isProcessEnv(node.expression)) env.add(node.name.text);
    else if (ts.isElementAccessExpression(node) && isProcessEnv(node.expression) && ts.isStringLiteralLike(node.argumentExpression)) env.add(node.argumentExpression.text);
    else if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer && isProcessEnv(node.initializer)) {
      for (const element of node.name.elements) {
        const key = element.propertyName ?? element.name;
        if (ts.isIdentifier(key)) env.add(key.text);
      }
    } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const first = node.arguments[0];
      if (HTTP_METHODS.has(method) && first && ts.isStringLiteralLike(first) && (first.text === '' || first.text.startsWith('/')) && node.arguments.length >= 2) {
        result.routes.push(route(method === 'all' ? 'GET' : method.toUpperCase(), first.text, node));
      } else if (method === 'route' && first && ts.isObjectLiteralExpression(first)) {
        const prop = (key: string) => first.properties.find((p): p is TsMorph.ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === key)?.initializer;
        const url = prop('url') ?? prop('path');
        const methodNode = prop('method');
        const methodText = methodNode && ts.isStringLiteralLike(methodNode) ? methodNode.text
          : methodNode && ts.isArrayLiteralExpression(methodNode) && methodNode.elements[0] && ts.isStringLiteralLike(methodNode.elements[0]) ? methodNode.elements[0].text : undefined;
        if (url && ts.isStringLiteralLike(url) && methodText) result.routes.push(route(methodText.toUpperCase(), url.text, node));
      }
    }
    ts.forEachChild(node, visit);
  };
  const route = (method: string, url: string, node: TsMorph.ts.Node): RouteInfo => ({
    method,
    url,
    line: root.getLineAndCharacterOfPosition(node.getStart(root)).line + 1,
  });
  ts.forEachChild(root, visit);
  result.env = [...env].sort();
}

/** The export that registers the routes: the default export when there is one, else the first exported function. */
function pluginExport(result: ModuleAnalysis): string | undefined {
  if (result.defaultExport === 'function' || result.defaultExport === 'value') return 'default';
  const candidates = result.functions.filter((fn) => fn.params.length >= 1);
  return (candidates.find((fn) => /route|plugin/i.test(fn.name)) ?? candidates[0])?.name;
}
