/**
 * Test files that run as CommonJS scripts. Jest loads a `.js` test in a
 * package without `"type": "module"` (and any `.cjs` test) as CommonJS, and
 * without a Babel set-up nothing rewrites `import` in it, so such a file
 * must load its modules with `require`. The generated text is written with
 * imports like every other test file; this turns them into `require` calls.
 */

/** Whether the test file runs as a CommonJS script under its runner. */
export function isCommonJsTest(testFile: string, style: { framework: 'jest' | 'vitest'; esm: boolean }): boolean {
  if (style.framework !== 'jest') return false; // Vitest compiles every test file as an ES module
  return /\.cjs$/.test(testFile) || (/\.jsx?$/.test(testFile) && !style.esm);
}

/**
 * The text with its top-level `import` lines as `require` calls and dynamic
 * `await import(x)` as `require(x)`; `jest.mock(...)` lines move above the
 * first `require`, since nothing hoists them without Babel.
 */
export function asCommonJsTest(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  const mocks: string[] = [];
  let firstRequire = -1;
  for (const line of lines) {
    const required = requireLine(line);
    if (required !== undefined) {
      if (firstRequire === -1) firstRequire = out.length;
      out.push(required);
    } else if (/^(jest)\.mock\(/.test(line) && firstRequire !== -1) mocks.push(line);
    else out.push(line);
  }
  if (mocks.length > 0) out.splice(firstRequire, 0, ...mocks);
  return out.join('\n').replace(/\bawait import\(/g, 'require(');
}

/** One import line as a require line; undefined when the line is not a plain import. */
function requireLine(line: string): string | undefined {
  const match = /^import\s+(.+?)\s+from\s+(['"][^'"]+['"]);?\s*$/.exec(line);
  if (match === null) {
    const bare = /^import\s+(['"][^'"]+['"]);?\s*$/.exec(line);
    return bare ? `require(${bare[1]});` : undefined;
  }
  const [, clause = '', specifier = ''] = match;
  const namespace = /^\*\s+as\s+([\w$]+)$/.exec(clause);
  if (namespace) return `const ${namespace[1]} = require(${specifier});`;
  const named = /^\{([^}]*)\}$/.exec(clause);
  if (named) return `const { ${bindings(named[1] ?? '')} } = require(${specifier});`;
  const both = /^([\w$]+)\s*,\s*\{([^}]*)\}$/.exec(clause);
  if (both) return `const ${both[1]} = require(${specifier});\nconst { ${bindings(both[2] ?? '')} } = ${both[1]};`;
  // A default import: CommonJS packages hand over module.exports, which is what the default import gives too.
  if (/^[\w$]+$/.test(clause)) return `const ${clause} = require(${specifier});`;
  return undefined;
}

/** `a, b as c` -> `a, b: c`. */
function bindings(list: string): string {
  return list
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => part.replace(/^([\w$]+)\s+as\s+([\w$]+)$/, '$1: $2'))
    .join(', ');
}
