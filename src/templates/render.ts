/**
 * The template engine: Handlebars in its own environment, strict (a variable
 * the template uses that nobody defined fails the render), without HTML
 * escaping (we write code), with the helpers every template may use. Errors
 * come out as UserErrors naming the template, the line and the variable.
 */
import Handlebars from 'handlebars';
import { UserError, errorMessage } from '../errors.js';
import { registerHelpers } from './helpers.js';

export interface RenderOptions {
  /** The template's name, for error messages (e.g. `fixtures/users`). */
  name: string;
  variables: Record<string, unknown>;
  /** Partial name to template text; `{{> name}}` includes it. */
  partials?: Record<string, string>;
}

const env = Handlebars.create();
registerHelpers(env);

/** Names of the helpers every template may call (never counted as variables). */
export const HELPER_NAMES: readonly string[] = Object.keys(env.helpers).filter((name) => !name.endsWith('Missing'));

/** Helpers whose first argument may name a variable nobody defined. */
const LENIENT_FIRST_ARGUMENT = new Set(['default']);

const VARIABLES_HINT =
  'Define it under `variables:` of the plan, the phase, the group or the task, ' +
  'or use a built-in (project_name, task_id, task_name, date, test_framework, package_manager); ' +
  'for an optional value write {{default name "fallback"}}.';

/** Render a template with the given variables; throws a UserError naming the template and line. */
export function renderTemplate(text: string, options: RenderOptions): string {
  const partials: Record<string, Handlebars.TemplateDelegate> = {};
  for (const [name, source] of Object.entries(options.partials ?? {})) {
    partials[name] = compileStrict(source, `partial ${name} (in template ${options.name})`);
  }
  const template = compileStrict(text, `template ${options.name}`);
  return template(options.variables, { partials });
}

/** Parse a template, or throw a UserError with the template name and line. */
export function parseTemplate(text: string, label: string): hbs.AST.Program {
  try {
    return env.parse(keepGithubExpressions(text));
  } catch (error) {
    throw templateError(label, error, undefined);
  }
}

/**
 * `${{ matrix.node }}` in a workflow template is a GitHub Actions expression,
 * not a variable: `${{` becomes Handlebars' escaped `$\{{`, so it is written
 * out as it stands. (A variable right after a `$` is written `{{"$"}}{{name}}`.)
 */
function keepGithubExpressions(text: string): string {
  return text.replace(/(?<!\\)\$\{\{/g, '$\\{{');
}

/** Compile with every variable reference strict, except where a lenient helper reads it. */
function compileStrict(text: string, label: string): Handlebars.TemplateDelegate {
  const ast = parseTemplate(text, label);
  const paths = new Map<string, string>();
  markStrict(ast, paths);
  let compiled: Handlebars.TemplateDelegate;
  try {
    compiled = env.compile(ast, { strict: true, noEscape: true });
  } catch (error) {
    throw templateError(label, error, paths);
  }
  return (context, runtimeOptions) => {
    try {
      return compiled(context, runtimeOptions);
    } catch (error) {
      if (error instanceof UserError) throw error; // from a partial: already located
      throw templateError(label, error, paths);
    }
  };
}

/**
 * Handlebars' strict mode checks only `{{name}}` itself, not a helper's
 * arguments (`{{camelCase name}}`, `{{#if name}}`); mark those strict too, so
 * a typo fails the render instead of producing an empty string. Records each
 * path by `line:column` to name it in full when it fails.
 */
function markStrict(node: unknown, paths: Map<string, string>, lenient = false): void {
  if (Array.isArray(node)) {
    for (const item of node) markStrict(item, paths, lenient);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown> & { type?: string; loc?: hbs.AST.SourceLocation };
  if (record.type === 'PathExpression') {
    const path = record as unknown as hbs.AST.PathExpression & { strict?: boolean };
    if (!lenient) path.strict = true;
    if (path.loc) paths.set(`${path.loc.start.line}:${path.loc.start.column}`, path.original);
    return;
  }
  const helper = record['path'] as hbs.AST.PathExpression | undefined;
  const params = record['params'] as unknown[] | undefined;
  const isLenient = helper?.type === 'PathExpression' && LENIENT_FIRST_ARGUMENT.has(helper.original);
  for (const [key, value] of Object.entries(record)) {
    if (key === 'loc') continue;
    if (key === 'params' && isLenient && params !== undefined) {
      params[0] = safeNavigation(params[0]);
      markStrict(params[0], paths, true);
      markStrict(params.slice(1), paths);
      continue;
    }
    markStrict(value, paths);
  }
}

/**
 * `a.b.c` as `(lookup (lookup (lookup this "a") "b") "c")`, so a missing `a`
 * gives undefined (for `default` to replace) instead of a TypeError.
 */
function safeNavigation(node: unknown): unknown {
  const path = node as hbs.AST.PathExpression;
  if (path?.type !== 'PathExpression' || path.parts.length < 2) return node;
  const keep = path.data ? 1 : 0;
  const head = path.parts.slice(0, keep);
  let expression: hbs.AST.Expression = {
    ...path,
    parts: head,
    original: path.data ? `@${head.join('.')}` : 'this',
  } as hbs.AST.PathExpression;
  for (const part of path.parts.slice(keep)) {
    const lookup = { type: 'PathExpression', data: false, depth: 0, parts: ['lookup'], original: 'lookup', loc: path.loc };
    const field = { type: 'StringLiteral', value: part, original: part, loc: path.loc };
    expression = { type: 'SubExpression', path: lookup, params: [expression, field], hash: undefined, loc: path.loc } as unknown as hbs.AST.Expression;
  }
  return expression;
}

/** Turn a Handlebars error into a UserError: `template X: line N, column C: "var" is not defined`. */
function templateError(label: string, error: unknown, paths: Map<string, string> | undefined): UserError {
  const raw = errorMessage(error);
  const located = error as { lineNumber?: number; column?: number };
  const parse = /^Parse error on line (\d+):\n[\s\S]*?\n(Expecting [\s\S]*)$/.exec(raw);
  if (parse) {
    return new UserError(`${label}: line ${parse[1]}: syntax error: ${parse[2]}`, {
      retryable: false,
      cause: error,
      hint: 'Check the {{ }} tags near that line: each {{#block}} needs its {{/block}}.',
    });
  }
  const where =
    located.lineNumber === undefined
      ? ''
      : `line ${located.lineNumber}${located.column === undefined ? '' : `, column ${located.column + 1}`}: `;
  const missing = /^"([^"]+)" not defined in/.exec(raw);
  if (missing) {
    const full = paths?.get(`${located.lineNumber}:${located.column}`) ?? missing[1];
    return new UserError(`${label}: ${where}"${full}" is not defined`, {
      retryable: false,
      cause: error,
      hint: VARIABLES_HINT,
    });
  }
  const message = raw.replace(/ - \d+:\d+$/, '');
  return new UserError(`${label}: ${where}${message}`, {
    retryable: false,
    cause: error,
    hint: `Helpers available: ${HELPER_NAMES.join(', ')}.`,
  });
}
