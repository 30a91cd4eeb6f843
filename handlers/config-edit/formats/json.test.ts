/**
 * The JSON engine on package.json-like files: edits keep indentation (tabs or
 * spaces of any width), key order, the final newline and every other byte.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { applyOpsToData, dataEqual, type EditOp } from '../ops.js';
import { jsonEngine as engine } from './json.js';

function edit(text: string, ops: EditOp[]): string {
  const out = engine.apply(text, ops, 'package.json');
  expect(dataEqual(engine.parse(out, 'package.json'), applyOpsToData(engine.parse(text, 'package.json'), ops))).toBe(true);
  return out;
}

describe('json engine', () => {
  it('adds a nested key with the file’s four-space indentation, leaving the rest alone', () => {
    const text = '{\n    "name": "app",\n    "jest": {\n        "preset": "ts-jest"\n    },\n    "private": true\n}\n';
    const out = edit(text, [{ op: 'set', path: ['jest', 'coverageThreshold'], value: { global: { lines: 80 } } }]);
    expect(out).toBe(
      '{\n    "name": "app",\n    "jest": {\n        "preset": "ts-jest",\n        "coverageThreshold": {\n            "global": {\n                "lines": 80\n            }\n        }\n    },\n    "private": true\n}\n',
    );
  });

  it('indents with tabs in a tab-indented file and keeps a missing final newline missing', () => {
    const text = '{\n\t"jest": {\n\t\t"collectCoverageFrom": ["src/**/*.ts"]\n\t}\n}';
    const out = edit(text, [{ op: 'insert', path: ['jest', 'collectCoverageFrom'], index: 1, value: '!src/**/*.d.ts' }]);
    expect(out).toBe('{\n\t"jest": {\n\t\t"collectCoverageFrom": ["src/**/*.ts", "!src/**/*.d.ts"]\n\t}\n}');
  });

  it('replaces a value in place and deletes a key with its comma', () => {
    const text = '{\n  "jest": {\n    "coverageThreshold": { "global": { "lines": 70 } },\n    "verbose": true\n  }\n}\n';
    const out = edit(text, [
      { op: 'set', path: ['jest', 'coverageThreshold', 'global', 'lines'], value: 85 },
      { op: 'delete', path: ['jest', 'verbose'] },
    ]);
    expect(out).toBe('{\n  "jest": {\n    "coverageThreshold": { "global": { "lines": 85 } }\n  }\n}\n');
  });

  it('creates a missing list on insert', () => {
    const out = edit('{ "jest": {} }\n', [{ op: 'insert', path: ['jest', 'coverageReporters'], index: 0, value: 'lcov' }]);
    expect(JSON.parse(out)).toEqual({ jest: { coverageReporters: ['lcov'] } });
  });

  it('reports a syntax error at file:line:col', () => {
    const text = '{\n  "name": "app",\n  "jest": { "preset": "ts-jest" \n  "x": 1 }\n}\n';
    let error: unknown;
    try {
      engine.parse(text, 'package.json');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe('package.json:4:3: JSON syntax error: a "," was expected');
  });

  it('refuses to insert into something that is not a list', () => {
    expect(() => engine.apply('{ "jest": { "a": 1 } }', [{ op: 'insert', path: ['jest', 'a'], index: 0, value: 2 }], 'package.json')).toThrow(
      /jest\.a is not a list/,
    );
  });
});

describe('keys named like what every object inherits', () => {
  it('sets valueOf, constructor and __proto__ as plain keys, in the file and in the data the edit is checked against', () => {
    const text = '{\n  "jest": {}\n}\n';
    for (const name of ['valueOf', 'constructor', '__proto__']) {
      const ops: EditOp[] = [{ op: 'set', path: ['jest', name, 'x'], value: 1 }];
      const out = engine.apply(text, ops, 'package.json');
      expect(out).toContain(`"${name}": {`);
      expect(engine.parse(out, 'package.json')).toEqual(applyOpsToData(engine.parse(text, 'package.json'), ops));
    }
  });
});

describe('any data round-trips', () => {
  const key = fc.string({ minLength: 1, maxLength: 8 });
  const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null));
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(key, tie('node'), { maxKeys: 3 })),
  })).node;
  const files = ['{\n  "name": "app",\n  "jest": {\n    "roots": ["src"]\n  }\n}\n', '{\n\t"a": {},\n\t"b": []\n}', '{ "jest": { "x": 1 } }\n'];

  it('sets any value at any new or existing key, keeping the rest of the file', () => {
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.array(key, { minLength: 1, maxLength: 3 }), value, (text, path, v) => {
        const data = engine.parse(text, 'package.json');
        // A key below a scalar cannot be set; the actions never ask for that.
        let node: unknown = data;
        for (const step of path.slice(0, -1)) {
          node = (node as Record<string, unknown>)[step];
          if (node === undefined) break;
          if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
        }
        const ops: EditOp[] = [{ op: 'set', path, value: v }];
        const out = engine.apply(text, ops, 'package.json');
        expect(engine.parse(out, 'package.json')).toEqual(applyOpsToData(data, ops));
        expect(out.endsWith('\n')).toBe(text.endsWith('\n'));
      }),
      { numRuns: 300 },
    );
  });
});
