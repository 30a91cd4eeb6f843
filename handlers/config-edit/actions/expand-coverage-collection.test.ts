/**
 * expand_coverage_collection through the whole edit pipeline (editText), on
 * real corpus configs and small ones: what is added, where, and that a second
 * application changes nothing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { editText, type EditOutcome } from '../edit.js';
import { action } from './expand-coverage-collection.js';

const CORPUS = path.resolve(import.meta.dirname, '../../../../shared/corpus');
const corpus = (name: string) => readFileSync(path.join(CORPUS, name), 'utf8');
const ROADMAP = { include: ['src/**/*.ts'], exclude: ['src/**/*.d.ts', 'src/server.ts', 'src/**/__tests__/**'], reporters: ['json-summary', 'lcov', 'text'] };

function changed(outcome: EditOutcome): Extract<EditOutcome, { kind: 'changed' }> {
  if (outcome.kind !== 'changed') throw new Error(`expected a change, got ${JSON.stringify(outcome)}`);
  return outcome;
}

describe('expand_coverage_collection', () => {
  it('adds only the missing patterns and reporters to a real Jest config, then finds nothing to do', async () => {
    const text = corpus('jest/0019-KDU__express-service__jest.config.js');
    const out = changed(await editText('jest.config.js', text, action, ROADMAP));
    // Existing patterns stay; the new exclusion is appended after them; json-summary after the reporters.
    expect(out.text).toContain("    '!src/types/**',\n    '!src/**/__tests__/**',\n  ],");
    expect(out.text).toContain("coverageReporters: ['text', 'lcov', 'clover', 'json-summary'],");
    expect(out.text.split('\n').length).toBe(text.split('\n').length + 1);
    expect(out.summary).toBe('jest.config.js: collectCoverageFrom gains 1 pattern; coverageReporters gains json-summary');
    expect((await editText('jest.config.js', out.text, action, ROADMAP)).kind).toBe('unchanged');
  });

  it('puts new includes before the first exclusion', async () => {
    const text = "module.exports = {\n  collectCoverageFrom: ['lib/**/*.js', '!lib/vendor/**'],\n};\n";
    const out = changed(await editText('jest.config.js', text, action, { include: ['src/**/*.ts'] }));
    expect(out.text).toBe("module.exports = {\n  collectCoverageFrom: ['lib/**/*.js', 'src/**/*.ts', '!lib/vendor/**'],\n};\n");
  });

  it('keeps Jest’s default reporters when the config names none', async () => {
    const text = corpus('jest/n8n-io__n8n__jest.config.js');
    const out = changed(await editText('jest.config.js', text, action, ROADMAP));
    expect(out.text).toContain("\tcoverageReporters: ['clover', 'json', 'lcov', 'text', 'json-summary'],\n};");
    expect(out.text).toContain("\tcollectCoverageFrom: [\n\t\t'src/**/*.ts',\n\t\t'!src/**/*.d.ts',\n\t\t'!src/server.ts',\n\t\t'!src/**/__tests__/**',\n\t],");
    expect(out.notes.join('\n')).toMatch(/kept Jest's default reporters \(clover, json, lcov, text\)/);
  });

  it('edits test.coverage of a Vitest config and warns that a new exclude replaces the defaults', async () => {
    const text = corpus('vitest/danielsoren__secrets-loader__vitest.config.ts');
    const out = changed(await editText('vitest.config.ts', text, action, ROADMAP));
    expect(out.text).toContain('      reporter: ["text", "html", "json-summary", "lcov"],');
    expect(out.text).toContain('      include: ["src/**/*.ts"],');
    expect(out.text).toContain('      exclude: [\n        "src/**/*.d.ts",\n        "src/server.ts",\n        "src/**/__tests__/**",\n      ],\n    },\n  },\n});');
    expect(out.notes.join('\n')).toMatch(/replace Vitest's default exclusions/);
    expect((await editText('vitest.config.ts', out.text, action, ROADMAP)).kind).toBe('unchanged');
  });

  it('edits the jest key of package.json, and is not applicable to one without it', async () => {
    const pkg = '{\n  "name": "app",\n  "jest": {\n    "preset": "ts-jest"\n  }\n}\n';
    const out = changed(await editText('package.json', pkg, action, { include: ['src/**/*.ts'] }));
    expect(out.text).toBe('{\n  "name": "app",\n  "jest": {\n    "preset": "ts-jest",\n    "collectCoverageFrom": ["src/**/*.ts"]\n  }\n}\n');
    const none = await editText('package.json', '{ "name": "app" }\n', action, { include: ['src/**/*.ts'] });
    expect(none).toEqual({ kind: 'not_applicable', reason: 'package.json has no `jest` key (the Jest config is elsewhere, e.g. jest.config.js)' });
    expect((await editText('.github/workflows/ci.yml', 'on: push\n', action, ROADMAP)).kind).toBe('not_applicable');
  });

  it('refuses a list written as code, and parameters it does not know', async () => {
    await expect(editText('jest.config.js', 'module.exports = { collectCoverageFrom: patterns() };\n', action, ROADMAP)).rejects.toThrow(
      /collectCoverageFrom is the code `patterns\(\)`, so orchestrate cannot add to it/,
    );
    const bad = editText('jest.config.js', 'module.exports = {};\n', action, { includes: ['src'] });
    await expect(bad).rejects.toBeInstanceOf(UserError);
    await expect(bad).rejects.toThrow(/params: Unrecognized key: "includes"/);
  });
});
