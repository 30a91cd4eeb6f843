/**
 * The Handlebars helpers every template may use: case conversions, `json`,
 * `indent`, `join`, `eq` and `default`. Documented in README.md; the built-in
 * templates rely on these exact names.
 */
import type Handlebars from 'handlebars';

/** Split a name into words on case changes, spaces, `-`, `_`, `/` and `.`. */
export function words(value: string): string[] {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s\-_/.]+/)
    .filter((word) => word.length > 0);
}

const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();

/** Case conversions by helper name: camelCase, pascalCase, kebabCase, snakeCase, upperCase, lowerCase. */
export const caseConversions: Record<string, (value: string) => string> = {
  camelCase: (value) => words(value).map((word, i) => (i === 0 ? word.toLowerCase() : capitalize(word))).join(''),
  pascalCase: (value) => words(value).map(capitalize).join(''),
  kebabCase: (value) => words(value).map((word) => word.toLowerCase()).join('-'),
  snakeCase: (value) => words(value).map((word) => word.toLowerCase()).join('_'),
  upperCase: (value) => words(value).map((word) => word.toUpperCase()).join(' '),
  lowerCase: (value) => words(value).map((word) => word.toLowerCase()).join(' '),
};

/** The arguments a helper was called with, without Handlebars' trailing options object. */
function argumentsOf(args: unknown[]): unknown[] {
  return args.slice(0, -1);
}

function expect(helper: string, args: unknown[], count: number, usage: string): void {
  if (args.length < count) throw new Error(`helper ${helper} needs ${count} argument${count === 1 ? '' : 's'}: ${usage}`);
}

/** Register the helpers on an isolated Handlebars environment. */
export function registerHelpers(env: typeof Handlebars): void {
  for (const [name, convert] of Object.entries(caseConversions)) {
    env.registerHelper(name, (...all: unknown[]) => {
      const args = argumentsOf(all);
      expect(name, args, 1, `{{${name} value}}`);
      return convert(String(args[0]));
    });
  }
  env.registerHelper('json', (...all: unknown[]) => {
    const args = argumentsOf(all);
    expect('json', args, 1, '{{json value}}');
    return JSON.stringify(args[0], null, 2) ?? 'undefined';
  });
  env.registerHelper('indent', (...all: unknown[]) => {
    const args = argumentsOf(all);
    expect('indent', args, 2, '{{indent text 4}}');
    const pad = ' '.repeat(Number(args[1]));
    // Blank lines stay blank so the output has no trailing whitespace.
    return String(args[0])
      .split('\n')
      .map((line) => (line.length > 0 ? pad + line : line))
      .join('\n');
  });
  env.registerHelper('join', (...all: unknown[]) => {
    const args = argumentsOf(all);
    expect('join', args, 1, '{{join list ", "}}');
    const separator = args[1] === undefined ? ', ' : String(args[1]);
    return Array.isArray(args[0]) ? args[0].map(String).join(separator) : String(args[0]);
  });
  env.registerHelper('eq', (...all: unknown[]) => {
    const args = argumentsOf(all);
    expect('eq', args, 2, '{{#if (eq a b)}}');
    return args[0] === args[1];
  });
  env.registerHelper('default', (...all: unknown[]) => {
    const args = argumentsOf(all);
    expect('default', args, 2, '{{default value "fallback"}}');
    return args[0] === undefined || args[0] === null ? args[1] : args[0];
  });
}
