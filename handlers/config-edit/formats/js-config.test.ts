/**
 * The JS/TS config engine on the config shapes people write: it reads the
 * object literal into data, splices edits in the file's own style, and
 * refuses other shapes with the patch to make by hand.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { applyOpsToData, dataEqual, type EditOp } from '../ops.js';
import { jsConfigEngine as engine } from './js-config.js';

const CORPUS = path.resolve(import.meta.dirname, '../../../../shared/corpus');

/** Apply ops, check the re-parse equals the data with the ops applied, and return the new text. */
function edit(text: string, ops: EditOp[], file = 'jest.config.js'): string {
  const before = engine.parse(text, file);
  const out = engine.apply(text, ops, file);
  expect(dataEqual(engine.parse(out, file), applyOpsToData(before, ops))).toBe(true);
  return out;
}

describe('reading configs', () => {
  it.each([
    ['module.exports = {...}', "module.exports = { testEnvironment: 'node', testTimeout: 10_000 };\n", 'jest.config.js'],
    ['export default {...} as Config', "export default { testEnvironment: 'node', testTimeout: 10_000 } as Config;\n", 'jest.config.ts'],
    ['const + export default with a type annotation', "import type { Config } from 'jest';\nconst config: Config = { testEnvironment: 'node', testTimeout: 10_000 };\nexport default config;\n", 'jest.config.ts'],
    ['const + module.exports with satisfies', "const config = { testEnvironment: 'node', testTimeout: 10_000 } satisfies Config;\nmodule.exports = config;\n", 'jest.config.ts'],
    ['async arrow function', "export default async (): Promise<Config> => ({ testEnvironment: 'node', testTimeout: 10_000 });\n", 'jest.config.ts'],
  ])('%s', (_name, text, file) => {
    expect(engine.parse(text, file)).toEqual({ testEnvironment: 'node', testTimeout: 10000 });
  });

  it.each([
    ['defineConfig({...})', "export default defineConfig({ test: { globals: true } })\n"],
    ['defineConfig(() => ({...}))', "export default defineConfig(() => ({ test: { globals: true } }))\n"],
    ['defineConfig(() => { return {...} })', "export default defineConfig(({ mode }) => {\n  const x = 1;\n  return { test: { globals: true } };\n});\n"],
    ['mergeConfig(a, defineConfig({...}))', "import viteConfig from './vite.config';\nexport default mergeConfig(viteConfig, defineConfig({ test: { globals: true } }));\n"],
  ])('%s', (_name, text) => {
    expect(engine.parse(text, 'vitest.config.ts')).toEqual({ test: { globals: true } });
  });

  it('keeps code that is not plain data as its source text', () => {
    const text = "const base = require('./base');\nmodule.exports = {\n  ...base,\n  preset,\n  setupFiles: [...base.setupFiles, './x.js'],\n  transform: { [`key`]: run(), n: -1 },\n};\n";
    expect(engine.parse(text, 'jest.config.js')).toEqual({
      '...base': { $expression: '...base' },
      preset: { $expression: 'preset' },
      setupFiles: [{ $expression: '...base.setupFiles' }, './x.js'],
      transform: { '[`key`]': { $expression: 'run()' }, n: -1 },
    });
  });

  it('names file:line:col of a syntax error', () => {
    const text = "module.exports = {\n  preset: 'ts-jest'\n  testEnvironment: 'node',\n};\n";
    expect(() => engine.parse(text, 'jest.config.js')).toThrow(/^jest\.config\.js:3:3: ',' expected/);
  });
});

describe('editing configs', () => {
  it('appends a property in the file’s quotes, indentation and trailing commas', () => {
    const text = 'module.exports = {\n\tpreset: "ts-jest",\n\ttestEnvironment: "node",\n};\n';
    const out = edit(text, [{ op: 'set', path: ['coverageReporters'], value: ['text', 'lcov'] }]);
    expect(out).toBe('module.exports = {\n\tpreset: "ts-jest",\n\ttestEnvironment: "node",\n\tcoverageReporters: ["text", "lcov"],\n};\n');
  });

  it('adds the missing comma, and no trailing one, in a file without trailing commas', () => {
    const text = "module.exports = {\n  preset: 'ts-jest',\n  transform: {\n    a: 'b'\n  }\n}\n";
    const out = edit(text, [{ op: 'set', path: ['coverageThreshold', 'global', 'lines'], value: 80 }]);
    expect(out).toBe("module.exports = {\n  preset: 'ts-jest',\n  transform: {\n    a: 'b'\n  },\n  coverageThreshold: {\n    global: {\n      lines: 80\n    }\n  }\n}\n");
  });

  it('replaces only a value’s text, and keeps a comment after it', () => {
    const text = "module.exports = {\n  coverageThreshold: {\n    global: { lines: 70, branches: 60 }, // keep\n  },\n};\n";
    const out = edit(text, [{ op: 'set', path: ['coverageThreshold', 'global', 'lines'], value: 80 }]);
    expect(out).toBe("module.exports = {\n  coverageThreshold: {\n    global: { lines: 80, branches: 60 }, // keep\n  },\n};\n");
  });

  it('appends to a multi-line array after a trailing comment, and inserts into an inline one', () => {
    const text = "module.exports = {\n  collectCoverageFrom: [\n    'src/**/*.ts',\n    '!src/a.ts' // why\n  ],\n  coverageReporters: ['text'],\n};\n";
    const out = edit(text, [
      { op: 'insert', path: ['collectCoverageFrom'], index: 2, value: '!src/b.ts' },
      { op: 'insert', path: ['coverageReporters'], index: 1, value: 'lcov' },
    ]);
    expect(out).toBe("module.exports = {\n  collectCoverageFrom: [\n    'src/**/*.ts',\n    '!src/a.ts', // why\n    '!src/b.ts'\n  ],\n  coverageReporters: ['text', 'lcov'],\n};\n");
  });

  it('creates test.coverage inside defineConfig for Vitest', () => {
    const text = "import { defineConfig } from 'vitest/config'\n\nexport default defineConfig({\n  test: {\n    globals: true,\n  },\n})\n";
    const out = edit(text, [{ op: 'set', path: ['test', 'coverage', 'include'], value: ['src/**/*.ts'] }], 'vitest.config.ts');
    expect(out).toBe("import { defineConfig } from 'vitest/config'\n\nexport default defineConfig({\n  test: {\n    globals: true,\n    coverage: {\n      include: ['src/**/*.ts'],\n    },\n  },\n})\n");
  });

  it('fills an empty object and quotes keys that need it', () => {
    const out = edit('export default {};\n', [{ op: 'set', path: ['coverageThreshold', './src/services/'], value: { lines: 85 } }], 'jest.config.ts');
    expect(out).toBe("export default {\n  coverageThreshold: {\n    './src/services/': {\n      lines: 85,\n    },\n  },\n};\n");
  });

  it('deletes a property with its line, and an inline item with its comma', () => {
    const text = "module.exports = {\n  preset: 'ts-jest', // the preset\n  verbose: true,\n  reporters: ['default', 'jest-junit'],\n};\n";
    const out = edit(text, [
      { op: 'delete', path: ['preset'] },
      { op: 'delete', path: ['reporters', 0] },
    ]);
    expect(out).toBe("module.exports = {\n  verbose: true,\n  reporters: ['jest-junit'],\n};\n");
  });

  it('writes an expression value back as its source', () => {
    const text = "module.exports = { setupFiles: [...base], a: 1 };\n";
    const out = edit(text, [{ op: 'insert', path: ['setupFiles'], index: 1, value: './setup.js' }]);
    expect(out).toBe("module.exports = { setupFiles: [...base, './setup.js'], a: 1 };\n");
  });
});

describe('shapes it does not edit', () => {
  it('refuses a call it does not know, naming it, and shows the patch in the hint', () => {
    const text = "const nextJest = require('next/jest');\nconst createJestConfig = nextJest({ dir: './' });\nmodule.exports = createJestConfig({ testEnvironment: 'jsdom' });\n";
    expect(engine.parse(text, 'jest.config.js')).toEqual({});
    let error: unknown;
    try {
      engine.apply(text, [{ op: 'set', path: ['collectCoverageFrom'], value: ['src/**/*.ts'] }], 'jest.config.js');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain('module.exports is assigned a function call `createJestConfig(...)`');
    expect((error as UserError).hint).toContain("\n    collectCoverageFrom: ['src/**/*.ts'],");
  });

  it('refuses a file that exports nothing', () => {
    expect(() => engine.apply("console.log('hi');\n", [{ op: 'set', path: ['a'], value: 1 }], 'jest.config.js')).toThrow(
      /neither `module.exports = \.\.\.` nor `export default \.\.\.`/,
    );
  });

  it('refuses to edit inside an expression', () => {
    const text = 'module.exports = { coverageThreshold: thresholds() };\n';
    expect(() => engine.apply(text, [{ op: 'set', path: ['coverageThreshold', 'global'], value: {} }], 'jest.config.js')).toThrow(
      /coverageThreshold is `thresholds\(\)`, not an object or array literal/,
    );
  });

  it('reads every corpus config that has an object literal, and refuses only the others', () => {
    const refused: string[] = [];
    for (const dir of ['jest', 'vitest']) {
      const folder = path.join(CORPUS, dir);
      for (const name of readdirSorted(folder)) {
        const text = readFileSync(path.join(folder, name), 'utf8');
        const file = `${dir}.config${path.extname(name)}`;
        const data = engine.parse(text, file);
        if (Object.keys(data as object).length === 0) refused.push(name);
      }
    }
    expect(refused).toEqual(['1benisin__brickops__jest.config.cjs']);
  });
});

function readdirSorted(folder: string): string[] {
  return readdirSync(folder).sort();
}

describe('any data round-trips', () => {
  const key = fc.stringMatching(/^[A-Za-z_$./\-'" ][\w$./\-'" ]{0,8}$/);
  const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: -1000, max: 1000 }), fc.boolean(), fc.constant(null));
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(key, tie('node'), { maxKeys: 3 })),
  })).node;
  const configs = [
    "module.exports = {\n  preset: 'ts-jest',\n  roots: ['<rootDir>/src'],\n  transform: {\n    '^.+\\\\.ts$': 'ts-jest',\n  },\n};\n",
    'export default defineConfig({\n\ttest: { globals: true, coverage: { reporter: ["text"] } }\n})\n',
    'const config: Config = {}\nexport default config\n',
  ];

  it('sets any value at any new or existing key, and the file reads back as the data with the edit', () => {
    fc.assert(
      fc.property(fc.constantFrom(...configs), fc.array(key, { minLength: 1, maxLength: 3 }), value, (text, path, v) => {
        const file = text.includes('defineConfig') ? 'vitest.config.ts' : 'jest.config.ts';
        const data = engine.parse(text, file);
        // A key below a scalar cannot be set; the actions never ask for that.
        let node: unknown = data;
        for (const step of path.slice(0, -1)) {
          node = (node as Record<string, unknown>)[step];
          if (node === undefined) break;
          if (node === null || typeof node !== 'object' || Array.isArray(node) || '$expression' in node) return;
        }
        const ops: EditOp[] = [{ op: 'set', path, value: v }];
        const out = engine.apply(text, ops, file);
        expect(engine.parse(out, file)).toEqual(applyOpsToData(data, ops));
      }),
      { numRuns: 300 },
    );
  });
});

describe('long lines', () => {
  it('writes a one-line list that would pass 80 columns one item a line, and leaves a short one on its line', () => {
    const text = "module.exports = {\n  collectCoverageFrom: ['src/services/**/*.ts'],\n  coverageReporters: ['text'],\n};\n";
    const out = edit(text, [
      { op: 'insert', path: ['collectCoverageFrom'], index: 1, value: 'src/**/*.ts' },
      { op: 'insert', path: ['collectCoverageFrom'], index: 2, value: '!src/**/*.d.ts' },
      { op: 'insert', path: ['collectCoverageFrom'], index: 3, value: '!src/**/__tests__/**' },
      { op: 'insert', path: ['coverageReporters'], index: 1, value: 'lcov' },
    ]);
    expect(out).toBe(
      "module.exports = {\n  collectCoverageFrom: [\n    'src/services/**/*.ts',\n    'src/**/*.ts',\n    '!src/**/*.d.ts',\n    '!src/**/__tests__/**',\n  ],\n  coverageReporters: ['text', 'lcov'],\n};\n",
    );
  });

  it('keeps a one-line list with a comment on its line rather than lose the comment', () => {
    const text = "module.exports = { roots: ['<rootDir>/src' /* app */, '<rootDir>/test', '<rootDir>/scripts'] };\n";
    const out = edit(text, [{ op: 'insert', path: ['roots'], index: 3, value: '<rootDir>/tools' }]);
    expect(out).toContain('/* app */');
  });
});
