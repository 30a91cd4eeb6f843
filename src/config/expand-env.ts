/**
 * `${VAR}` and `${VAR:-default}` in a plan's string values, expanded from the
 * environment after the YAML is parsed and before the schema check (so an
 * expanded value is checked like a written one). Only these two forms are
 * expanded: `${{ ... }}` (GitHub expressions in workflow edits), `$VAR` and
 * shell forms such as `${VAR%.*}` are left as written. `$${` writes a literal
 * `${`. Keys are never expanded.
 */
import type { YamlPath } from './locate.js';

export interface ExpandOptions {
  env: Record<string, string | undefined>;
  /** Whether the plan may read this variable (false under untrusted for unlisted names); default all. */
  mayRead?: ((name: string) => boolean) | undefined;
  /** Said when `mayRead` refuses. */
  refusedHint?: string | undefined;
}

/** A variable a plan's expansion looked at: its value then (undefined: unset) and whether the plan could read it. */
export interface ExpandUse {
  name: string;
  value: string | undefined;
  allowed: boolean;
}

export interface ExpandProblem {
  path: YamlPath;
  message: string;
  hint: string;
}

const REFERENCE = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Expand every string in `value` (a parsed YAML tree); returns a new tree, the
 * problems found and every variable looked at (what the result depends on).
 */
export function expandEnv(value: unknown, options: ExpandOptions): { value: unknown; problems: ExpandProblem[]; used: ExpandUse[] } {
  const problems: ExpandProblem[] = [];
  const used = new Map<string, ExpandUse>();
  const note = (name: string): void => {
    if (!used.has(name)) used.set(name, { name, value: options.env[name], allowed: options.mayRead ? options.mayRead(name) : true });
  };
  const walk = (node: unknown, path: (string | number)[]): unknown => {
    if (typeof node === 'string') return node.includes('${') ? expandString(node, path, options, problems, note) : node;
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i]));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, [...path, key])]));
    }
    return node;
  };
  const expanded = walk(value, []);
  return { value: expanded, problems, used: [...used.values()] };
}

function expandString(text: string, path: YamlPath, options: ExpandOptions, problems: ExpandProblem[], note: (name: string) => void): string {
  return text.replace(REFERENCE, (whole, escaped: string, name: string, fallback: string | undefined) => {
    if (escaped) return whole.slice(1);
    note(name);
    if (options.mayRead && !options.mayRead(name)) {
      problems.push({
        path,
        message: `\${${name}} reads the environment, which an untrusted plan may not do`,
        hint: options.refusedHint ?? `write the value into the plan, or write $\${${name}} for a literal \${${name}}`,
      });
      return whole;
    }
    const found = options.env[name];
    if (fallback !== undefined) return found === undefined || found === '' ? fallback : found;
    if (found === undefined) {
      problems.push({
        path,
        message: `environment variable ${name} is not set (used as \${${name}})`,
        hint: `set ${name}, give a default with \${${name}:-value}, or write $\${${name}} for a literal \${${name}}`,
      });
      return whole;
    }
    return found;
  });
}
