/**
 * Dependencies point inward: the core (everything under src/) takes a handler
 * registry as an argument and never imports the built-in handlers. Only the
 * composition roots in entry/ import both. This scans every source file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const handlersDir = path.join(repoRoot, 'handlers');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|js|mjs|cjs)$/.test(entry.name) ? [full] : [];
  });
}

/** Every module specifier a file names: static imports and re-exports, dynamic import(), require(). */
export function specifiersOf(text: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\b(?:import|require)\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) if (match[1]) found.push(match[1]);
  return found;
}

describe('the core', () => {
  it('finds the imports it checks (the scanner sees static, type-only, side-effect, dynamic and require imports)', () => {
    const sample = [
      "import { a } from '../../handlers/x.js';",
      "import type { B } from '../handlers/y.js';",
      "export { c } from './c.js';",
      "import './side-effect.js';",
      "const m = await import('../../handlers/z.js');",
      "const r = require('../handlers/w.js');",
    ].join('\n');
    expect(specifiersOf(sample)).toEqual(expect.arrayContaining(['../../handlers/x.js', '../handlers/y.js', './c.js', './side-effect.js', '../../handlers/z.js', '../handlers/w.js']));
  });

  it('never imports from handlers/: no file under src/ names a module there', () => {
    const files = sourceFiles(path.join(repoRoot, 'src'));
    expect(files.length).toBeGreaterThan(50);
    const offending = files.flatMap((file) =>
      specifiersOf(readFileSync(file, 'utf8'))
        .filter((specifier) => specifier.startsWith('.') && path.resolve(path.dirname(file), specifier).startsWith(`${handlersDir}${path.sep}`))
        .map((specifier) => `${path.relative(repoRoot, file)} imports ${specifier}`),
    );
    expect(offending).toEqual([]);
  });
});
