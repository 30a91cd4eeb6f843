/**
 * Which top-level variables a template reads, found by walking its Handlebars
 * syntax tree: what `orchestrate templates` shows a plan author to define.
 * Names inside `{{#each}}` and `{{#with}}` blocks read the item, not the
 * top level, so they are not counted; helper names are not variables.
 */
import { HELPER_NAMES } from './render.js';

/** Variables a template reads: `required` fail when missing, `optional` only reach `default`. */
export interface UsedVariables {
  required: Set<string>;
  optional: Set<string>;
  /** Names of the partials it includes (`{{> name}}`). */
  partials: Set<string>;
}

const HELPERS = new Set(HELPER_NAMES);
/** Block helpers whose body runs with another context than the top level. */
const CONTEXT_CHANGING = new Set(['each', 'with']);

/** Walk a parsed template and collect the top-level variables it reads. */
export function usedVariables(ast: hbs.AST.Program): UsedVariables {
  const used: UsedVariables = { required: new Set(), optional: new Set(), partials: new Set() };
  visit(ast, used, false);
  for (const name of used.required) used.optional.delete(name);
  return used;
}

type Node = { type?: string } & Record<string, unknown>;

function visit(node: unknown, used: UsedVariables, optional: boolean): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item, used, optional);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const n = node as Node;
  switch (n.type) {
    case 'PathExpression': {
      const path = n as unknown as hbs.AST.PathExpression;
      const head = path.parts[0];
      if (path.data || path.depth > 0 || head === undefined || path.original.startsWith('this')) return;
      (optional ? used.optional : used.required).add(head);
      return;
    }
    case 'PartialStatement':
    case 'PartialBlockStatement': {
      const partial = n as unknown as hbs.AST.PartialStatement;
      if (partial.name.type === 'PathExpression') used.partials.add((partial.name as hbs.AST.PathExpression).original);
      visit(partial.params, used, optional);
      visit(partial.hash, used, optional);
      if (n.type === 'PartialBlockStatement') visit(n['program'], used, optional);
      return;
    }
    case 'MustacheStatement':
    case 'SubExpression':
    case 'BlockStatement': {
      const call = n as unknown as hbs.AST.MustacheStatement & { program?: unknown; inverse?: unknown };
      const callee = call.path.type === 'PathExpression' ? (call.path as hbs.AST.PathExpression).original : '';
      const isHelper = HELPERS.has(callee);
      // `{{name}}` or `{{#name}}…{{/name}}` read a variable; a call with arguments names a helper.
      const readsVariable = !isHelper && call.params.length === 0 && call.hash === undefined;
      if (readsVariable) visit(call.path, used, optional);
      call.params.forEach((param, i) => visit(param, used, optional || (callee === 'default' && i === 0)));
      visit(call.hash, used, optional);
      // The body of each/with reads the item; its {{else}} still reads the top level.
      if (!CONTEXT_CHANGING.has(callee) && !readsVariable) visit(call.program, used, optional);
      visit(call.inverse, used, optional);
      return;
    }
    default:
      for (const [key, value] of Object.entries(n)) if (key !== 'loc') visit(value, used, optional);
  }
}
