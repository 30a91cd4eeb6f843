/**
 * The coverage actions on every real Jest (25) and Vitest (12) config of the
 * corpus (../shared/corpus, SOURCES.tsv says where each comes from): each
 * edit parses again, makes the intended semantic change, changes no line
 * outside it, and changes nothing when applied a second time. A config of a
 * shape the engine does not edit is refused with the hand patch, not a crash.
 * The counts are printed and written to test-config-corpus.summary.txt in the
 * OS temp dir.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { action as thresholds } from '../../handlers/config-edit/actions/add-directory-thresholds.js';
import { action as expand } from '../../handlers/config-edit/actions/expand-coverage-collection.js';
import { editText } from '../../handlers/config-edit/edit.js';
import { jsConfigEngine } from '../../handlers/config-edit/formats/js-config.js';
import type { ConfigAction } from '../../handlers/config-edit/ops.js';
import { UserError } from '../../src/errors.js';
import { collateralLines, opTokens } from './collateral.js';

const CORPUS = path.resolve(import.meta.dirname, '../../../shared/corpus');

/** The roadmap's own parameters for the two actions. */
const CASES: { action: ConfigAction; params: Record<string, unknown> }[] = [
  {
    action: expand as ConfigAction,
    params: { include: ['src/**/*.ts'], exclude: ['src/**/*.d.ts', 'src/server.ts', 'src/**/__tests__/**'], reporters: ['json-summary', 'lcov', 'text'] },
  },
  {
    action: thresholds as ConfigAction,
    params: {
      thresholds: {
        global: { lines: 80, branches: 70, functions: 80, statements: 80 },
        './src/services/': { lines: 85, branches: 75 },
        './src/routes/': { lines: 80, branches: 70 },
      },
    },
  },
];

interface Config {
  /** The corpus file. */
  source: string;
  /** The name the engine sees: jest.config.<ext> or vitest.config.<ext>. */
  file: string;
  text: string;
}

const configs: Config[] = ['jest', 'vitest'].flatMap((dir) =>
  readdirSync(path.join(CORPUS, dir))
    .sort()
    .map((name) => ({ source: `${dir}/${name}`, file: `${dir}.config${path.extname(name)}`, text: readFileSync(path.join(CORPUS, dir, name), 'utf8') })),
);

const tally = { applied: 0, changed: 0, unchanged: 0, refused: 0, notApplicable: 0, collateral: 0 };

afterAll(() => {
  const line = `test configs: ${configs.length} files x ${CASES.length} actions = ${tally.applied} applied: ${tally.changed} changed, ${tally.unchanged} already in place, ${tally.refused} refused (shape not editable), ${tally.notApplicable} not applicable; collateral lines: ${tally.collateral}`;
  console.log(line);
  writeFileSync(path.join(tmpdir(), 'test-config-corpus.summary.txt'), `${line}\n`);
});

/** Every value of a list at `at`, or [] when absent. */
function list(data: unknown, at: readonly string[]): unknown[] {
  let node = data;
  for (const key of at) node = (node as Record<string, unknown> | undefined)?.[key];
  return Array.isArray(node) ? node : [];
}

function at(data: unknown, keys: readonly string[]): unknown {
  let node = data;
  for (const key of keys) node = node === null || typeof node !== 'object' ? undefined : (node as Record<string, unknown>)[key];
  return node;
}

/** The intended change, checked on the data before and after. */
function checkSemantics(config: Config, name: string, before: unknown, after: unknown): void {
  const vitest = config.file.startsWith('vitest');
  if (name === 'expand_coverage_collection') {
    const pairs: [string[], string[]][] = vitest
      ? [
          [['test', 'coverage', 'include'], ['src/**/*.ts']],
          [['test', 'coverage', 'exclude'], ['src/**/*.d.ts', 'src/server.ts', 'src/**/__tests__/**']],
          [['test', 'coverage', 'reporter'], ['json-summary', 'lcov', 'text']],
        ]
      : [
          [['collectCoverageFrom'], ['src/**/*.ts', '!src/**/*.d.ts', '!src/server.ts', '!src/**/__tests__/**']],
          [['coverageReporters'], ['json-summary', 'lcov', 'text']],
        ];
    for (const [keys, wanted] of pairs) {
      const now = list(after, keys);
      const was = list(before, keys);
      expect(now, `${config.source}: ${keys.join('.')} has every wanted entry`).toEqual(expect.arrayContaining(wanted));
      // Nothing that was there is lost, and the old entries keep their order.
      expect(now.filter((item) => was.some((w) => JSON.stringify(w) === JSON.stringify(item))), config.source).toEqual(was);
    }
  } else {
    const root = vitest ? ['test', 'coverage', 'thresholds'] : ['coverageThreshold'];
    const globalAt = vitest ? root : [...root, 'global'];
    const wanted: [string[], Record<string, number>][] = [
      [globalAt, { lines: 80, branches: 70, functions: 80, statements: 80 }],
      [[...root, vitest ? 'src/services/**' : './src/services/'], { lines: 85, branches: 75 }],
      [[...root, vitest ? 'src/routes/**' : './src/routes/'], { lines: 80, branches: 70 }],
    ];
    for (const [keys, figures] of wanted) {
      for (const [metric, min] of Object.entries(figures)) {
        const now = at(after, [...keys, metric]);
        const was = at(before, [...keys, metric]);
        expect(typeof now, `${config.source}: ${keys.join('.')}.${metric}`).toBe('number');
        expect(now as number).toBeGreaterThanOrEqual(typeof was === 'number' && was > min ? was : min);
      }
    }
  }
}

describe('coverage actions on the corpus of test configs', () => {
  it('has the 25 Jest and 12 Vitest configs', () => {
    expect(configs.filter((c) => c.file.startsWith('jest')).length).toBe(25);
    expect(configs.filter((c) => c.file.startsWith('vitest')).length).toBe(12);
  });

  for (const { action, params } of CASES) {
    describe(action.name, () => {
      it.each(configs.map((c) => [c.source, c] as const))('%s', async (_source, config) => {
        tally.applied += 1;
        let outcome;
        try {
          outcome = await editText(config.file, config.text, action, params);
        } catch (error) {
          // Only a shape the engine cannot edit may refuse, and it must say what to do by hand.
          expect(error, config.source).toBeInstanceOf(UserError);
          expect((error as UserError).message).toMatch(/cannot edit this config: .*is assigned a function call `createJestConfig\(\.\.\.\)`/);
          expect((error as UserError).hint).toMatch(/Add these properties to the config object by hand \(keeping any already there\):\n {4}(collectCoverageFrom|coverageThreshold): /);
          tally.refused += 1;
          return;
        }
        if (outcome.kind === 'not_applicable') {
          tally.notApplicable += 1;
          throw new Error(`${config.source}: not applicable: ${outcome.reason}`);
        }
        if (outcome.kind === 'unchanged') {
          tally.unchanged += 1;
          return;
        }
        tally.changed += 1;
        const before = jsConfigEngine.parse(config.text, config.file);
        const after = jsConfigEngine.parse(outcome.text, config.file);
        checkSemantics(config, action.name, before, after);

        const plan = action.plan({ file: config.file, format: 'js', data: before, params: action.params.parse(params) });
        const { collateral } = collateralLines(config.text, outcome.text, plan.kind === 'ops' ? opTokens(plan.ops) : []);
        tally.collateral += collateral.length;
        expect(collateral, `${config.source}: lines changed outside the edit`).toEqual([]);

        const again = await editText(config.file, outcome.text, action, params);
        expect(again.kind, `${config.source}: a second application`).toBe('unchanged');
      });
    });
  }

  it('counts a reflowed neighbour, a changed quote and a lost comment as collateral', () => {
    const before = "module.exports = {\n  preset: 'ts-jest', // why\n  roots: ['src'],\n};\n";
    const after = 'module.exports = {\n  preset: "ts-jest",\n  roots: [\n    \'src\',\n  ],\n  collectCoverageFrom: [\'src/**/*.ts\'],\n};\n';
    const { collateral } = collateralLines(before, after, ['collectCoverageFrom', 'src/**/*.ts']);
    expect(collateral).toEqual([
      "-   preset: 'ts-jest', // why",
      "-   roots: ['src'],",
      '+   preset: "ts-jest",',
      '+   roots: [',
      "+     'src',",
    ]);
  });
});
