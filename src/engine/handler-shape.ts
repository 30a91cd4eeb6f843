/**
 * Checks that a value is a handler before it is registered: what a plugin
 * module exports is unknown until it is loaded, so every field of the
 * contract (handler.ts) is checked and each problem named exactly. Built-ins
 * pass through the same check.
 */

/** Task type names: what a plan writes after `type:`. */
export const TASK_TYPE_PATTERN = /^[a-z][a-z0-9_]*$/;

/**
 * Every way `value` falls short of the handler contract; empty when it is a
 * handler. With `schema: false`, of the contract without the schema (the parts
 * of a handler registered deferred).
 */
export function handlerShapeProblems(value: unknown, options: { schema?: boolean } = {}): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [`expected a handler object ({ type, summary, schema, describe, run }), found ${kindOf(value)}`];
  }
  const candidate = value as Record<string, unknown>;
  const problems: string[] = [];
  const type = candidate.type;
  if (typeof type !== 'string') problems.push(`\`type\` must be a string (the task type plans write), found ${kindOf(type)}`);
  else if (!TASK_TYPE_PATTERN.test(type)) problems.push(`\`type\` "${type}" must be lower case letters, digits and '_', starting with a letter (like config_edit)`);
  if (typeof candidate.summary !== 'string' || candidate.summary.trim() === '') {
    problems.push(`\`summary\` must be a non-empty string (one sentence for \`orchestrate schema\`), found ${kindOf(candidate.summary)}`);
  }
  const schema = candidate.schema;
  if (options.schema === false) {
    // The parts only: the schema comes with the whole handler, checked when it is loaded.
  } else if (schema === null || typeof schema !== 'object') {
    problems.push(`\`schema\` must be a zod object schema of the task's fields, found ${kindOf(schema)}`);
  } else if (typeof (schema as { safeParse?: unknown }).safeParse !== 'function') {
    problems.push('`schema` has no safeParse method: give a zod object schema, e.g. z.object({ file: z.string() })');
  }
  for (const name of ['describe', 'run'] as const) {
    if (typeof candidate[name] !== 'function') problems.push(`\`${name}\` must be a function, found ${kindOf(candidate[name])}`);
  }
  for (const name of ['touches', 'inputs'] as const) {
    if (candidate[name] !== undefined && typeof candidate[name] !== 'function') {
      problems.push(`\`${name}\` is optional but must be a function when given, found ${kindOf(candidate[name])}`);
    }
  }
  for (const name of ['unnamedChanges', 'splitsWork'] as const) {
    if (candidate[name] !== undefined && typeof candidate[name] !== 'boolean') {
      problems.push(`\`${name}\` must be true or false when given, found ${kindOf(candidate[name])}`);
    }
  }
  return problems;
}

/** A value's kind in a few words, for messages. */
export function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 30 ? `${value.slice(0, 27)}...` : value)}`;
  return `${typeof value} ${String(value)}`;
}
