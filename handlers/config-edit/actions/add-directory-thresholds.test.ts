/**
 * add_directory_thresholds through the edit pipeline on real corpus configs:
 * global and per-directory thresholds are added, an existing higher figure is
 * kept with a note, and a second application changes nothing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editText, type EditOutcome } from '../edit.js';
import { action, vitestGlob } from './add-directory-thresholds.js';

const CORPUS = path.resolve(import.meta.dirname, '../../../../shared/corpus');
const corpus = (name: string) => readFileSync(path.join(CORPUS, name), 'utf8');
const ROADMAP = {
  thresholds: {
    global: { lines: 80, branches: 70, functions: 80, statements: 80 },
    './src/services/': { lines: 85, branches: 75 },
    './src/routes/': { lines: 80, branches: 70 },
  },
};

function changed(outcome: EditOutcome): Extract<EditOutcome, { kind: 'changed' }> {
  if (outcome.kind !== 'changed') throw new Error(`expected a change, got ${JSON.stringify(outcome)}`);
  return outcome;
}

describe('add_directory_thresholds', () => {
  it('raises global figures in place and adds directories after them in a real Jest config', async () => {
    const text = corpus('jest/0019-KDU__express-service__jest.config.js');
    const out = changed(await editText('jest.config.js', text, action, ROADMAP));
    expect(out.text).toContain(
      "  coverageThreshold: {\n    global: {\n      branches: 70,\n      functions: 80,\n      lines: 80,\n      statements: 80,\n    },\n    './src/services/': {\n      lines: 85,\n      branches: 75,\n    },\n    './src/routes/': {\n      lines: 80,\n      branches: 70,\n    },\n  },\n",
    );
    expect(out.summary).toBe('jest.config.js: 7 coverage thresholds set in coverageThreshold');
    expect((await editText('jest.config.js', out.text, action, ROADMAP)).kind).toBe('unchanged');
  });

  it('never lowers a threshold, and says which it kept', async () => {
    const text = corpus('jest/1sraeliteX__ChronoPay-Backend__jest.config.cjs');
    const out = changed(await editText('jest.config.cjs', text, action, ROADMAP));
    expect(out.text).toContain('  coverageThreshold: {\n    global: {\n      branches: 95,\n      functions: 95,\n      lines: 95,\n      statements: 95,\n    },\n    "./src/services/": {');
    expect(out.notes).toContain('global lines: kept 95, higher than the 80 asked for');
    expect(out.notes).toHaveLength(4);
  });

  it('writes Vitest thresholds at the top of test.coverage.thresholds, directories as globs', async () => {
    const text = corpus('vitest/danielsoren__secrets-loader__vitest.config.ts');
    const out = changed(await editText('vitest.config.ts', text, action, ROADMAP));
    expect(out.text).toContain(
      '      thresholds: {\n        statements: 90,\n        branches: 85,\n        functions: 90,\n        lines: 90,\n        "src/services/**": {\n          lines: 85,\n          branches: 75,\n        },\n        "src/routes/**": {\n          lines: 80,\n          branches: 70,\n        },\n      },\n',
    );
    expect((await editText('vitest.config.ts', out.text, action, ROADMAP)).kind).toBe('unchanged');
  });

  it('creates coverageThreshold in package.json’s jest key', async () => {
    const pkg = '{\n\t"name": "app",\n\t"jest": {\n\t\t"preset": "ts-jest"\n\t}\n}\n';
    const out = changed(await editText('package.json', pkg, action, { thresholds: { global: { lines: 80 } } }));
    expect(out.text).toBe('{\n\t"name": "app",\n\t"jest": {\n\t\t"preset": "ts-jest",\n\t\t"coverageThreshold": {\n\t\t\t"global": {\n\t\t\t\t"lines": 80\n\t\t\t}\n\t\t}\n\t}\n}\n');
  });

  it('rejects a percentage over 100 and an empty set of figures', async () => {
    await expect(editText('jest.config.js', 'module.exports = {};\n', action, { thresholds: { global: { lines: 180 } } })).rejects.toThrow(
      /params\.thresholds\.global\.lines: Too big/,
    );
    await expect(editText('jest.config.js', 'module.exports = {};\n', action, { thresholds: { global: {} } })).rejects.toThrow(
      /give at least one of lines, branches, functions, statements/,
    );
  });

  it('turns directory keys into Vitest globs', () => {
    expect(vitestGlob('./src/services/')).toBe('src/services/**');
    expect(vitestGlob('src/**/*.ts')).toBe('src/**/*.ts');
  });
});
