import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { diffLines, structuredPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { applyOpsToData, dataEqual, type DataPath, type EditOp } from '../ops.js';
import { yamlEngine } from './yaml.js';

const FILE = '.github/workflows/ci.yml';

/** Apply ops and check the engine's promise: the data is the intended data. */
function edit(text: string, ops: EditOp[]): string {
  const out = yamlEngine.apply(text, ops, FILE);
  expect(yamlEngine.parse(out, FILE)).toEqual(applyOpsToData(yamlEngine.parse(text, FILE), ops));
  return out;
}

const workflow = `# CI for the app
name: CI

on: [push, pull_request]

env:
  NODE_VERSION: '20'   # pinned

jobs:
  lint:
    runs-on: ubuntu-latest
    continue-on-error: true
    steps:
      - uses: actions/checkout@v4
      - run: |
          npm ci
          npm run lint

  # the tests
  test:
    runs-on: ubuntu-latest
    needs: [lint]
    steps:
      - uses: actions/checkout@v4
      - name: Test
        run: npm test # quick
`;


describe('yamlEngine, texts edited again', () => {
  it('edits a text the same way after other edits of it and of its output', () => {
    const before = yamlEngine.parse(workflow, FILE);
    const setEnv: EditOp[] = [{ op: 'set', path: ['env', 'CI'], value: 'true' }];
    const first = edit(workflow, setEnv);
    // Edits of the output, then of the original text with other operations, then the first edit again.
    edit(first, [{ op: 'delete', path: ['jobs', 'lint', 'continue-on-error'] }]);
    edit(workflow, [{ op: 'set', path: ['jobs', 'test', 'needs'], value: ['lint', 'build'] }, { op: 'delete', path: ['env'] }]);
    expect(yamlEngine.apply(workflow, setEnv, FILE)).toBe(first);
    expect(yamlEngine.parse(workflow, FILE)).toEqual(before);
    expect(first).toContain("  CI: 'true'");
  });
});
describe('yamlEngine.parse', () => {
  it('gives the data, with `on` as a key', () => {
    const data = yamlEngine.parse(workflow, FILE) as Record<string, unknown>;
    expect(data.on).toEqual(['push', 'pull_request']);
  });

  it('names file:line:col of a syntax error', () => {
    let error: unknown;
    try {
      yamlEngine.parse('jobs:\n  test:\n    steps: [a, b\n  lint: x\n', FILE);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/^\.github\/workflows\/ci\.yml:\d+:\d+: YAML syntax error: /);
    expect((error as UserError).file).toBe(FILE);
  });

  it('reads several documents as a list', () => {
    expect(yamlEngine.parse('a: 1\n---\nb: 2\n', 'k.yaml')).toEqual([{ a: 1 }, { b: 2 }]);
  });
});

describe('yamlEngine.apply', () => {
  it('replaces a scalar in place, keeping quotes and the trailing comment', () => {
    const out = edit(workflow, [{ op: 'set', path: ['env', 'NODE_VERSION'], value: '22' }]);
    expect(out).toBe(workflow.replace("NODE_VERSION: '20'   # pinned", "NODE_VERSION: '22'   # pinned"));
  });

  it('adds a key at the end of a map, at its indentation', () => {
    const out = edit(workflow, [{ op: 'set', path: ['jobs', 'lint', 'timeout-minutes'], value: 10 }]);
    expect(out).toBe(workflow.replace('          npm run lint\n', '          npm run lint\n    timeout-minutes: 10\n'));
  });

  it('adds nested structure for missing parents, in the file style', () => {
    const out = edit(workflow, [{ op: 'set', path: ['concurrency'], value: { group: 'deploy', 'cancel-in-progress': false } }]);
    expect(out).toBe(`${workflow}concurrency:\n  group: deploy\n  cancel-in-progress: false\n`);
    const deeper = edit(workflow, [{ op: 'set', path: ['jobs', 'test', 'strategy', 'matrix', 'node'], value: ['18', '20'] }]);
    expect(deeper).toBe(`${workflow}    strategy:\n      matrix:\n        node:\n          - '18'\n          - '20'\n`);
  });

  it('deletes a key with its lines and own comment, keeping the neighbours and their comments', () => {
    const out = edit(workflow, [{ op: 'delete', path: ['jobs', 'lint', 'continue-on-error'] }]);
    expect(out).toBe(workflow.replace('    continue-on-error: true\n', ''));
    const env = edit(workflow, [{ op: 'delete', path: ['env', 'NODE_VERSION'] }]);
    expect(env).toContain('env: {}\n\njobs:');
    const job = edit(workflow, [{ op: 'delete', path: ['jobs', 'test', 'steps', 1, 'run'] }]);
    expect(job).toBe(workflow.replace('\n        run: npm test # quick', ''));
  });

  it('edits inside a flow collection without re-printing it', () => {
    const out = edit(workflow, [{ op: 'insert', path: ['on'], index: 2, value: 'workflow_dispatch' }]);
    expect(out).toContain('on: [push, pull_request, workflow_dispatch]\n');
    const removed = edit(workflow, [{ op: 'delete', path: ['on', 0] }]);
    expect(removed).toContain('on: [pull_request]\n');
    const last = edit(workflow, [{ op: 'delete', path: ['jobs', 'test', 'needs', 0] }]);
    expect(last).toContain('needs: []\n');
  });

  it('appends and inserts sequence items at the dash column', () => {
    const out = edit(workflow, [{ op: 'insert', path: ['jobs', 'test', 'steps'], index: 2, value: { name: 'Coverage', run: 'npm run cov' } }]);
    expect(out).toBe(`${workflow}      - name: Coverage\n        run: npm run cov\n`);
    const first = edit(workflow, [{ op: 'insert', path: ['jobs', 'lint', 'steps'], index: 0, value: { uses: 'actions/setup-node@v4' } }]);
    expect(first).toContain('    steps:\n      - uses: actions/setup-node@v4\n      - uses: actions/checkout@v4\n      - run: |');
  });

  it('turns a string trigger into a map and fills an empty key', () => {
    const text = 'on: push\njobs:\n  a:\n    runs-on: x\n';
    expect(edit(text, [{ op: 'set', path: ['on'], value: { push: { paths: ['src/**'] } } }])).toBe(
      'on:\n  push:\n    paths:\n      - src/**\njobs:\n  a:\n    runs-on: x\n',
    );
    const empty = 'on:\n  push:\n  pull_request: # always\njobs: {}\n';
    expect(edit(empty, [{ op: 'set', path: ['on', 'pull_request', 'paths'], value: ['src/**'] }])).toBe(
      'on:\n  push:\n  pull_request: # always\n    paths:\n      - src/**\njobs: {}\n',
    );
  });

  it('edits only the differences when a map or list is set', () => {
    const out = edit(workflow, [{ op: 'set', path: ['jobs', 'test', 'needs'], value: ['lint', 'build'] }]);
    expect(out).toContain('needs: [lint, build]\n');
    const merged = edit(workflow, [{ op: 'set', path: ['env'], value: { NODE_VERSION: '20', CI: 'true' } }]);
    expect(merged).toContain("env:\n  NODE_VERSION: '20'   # pinned\n  CI: 'true'\n");
  });

  it('replaces a block scalar and a collection by a different kind of value', () => {
    const out = edit(workflow, [{ op: 'set', path: ['jobs', 'lint', 'steps', 1, 'run'], value: 'npm ci\nnpm run lint -- --max-warnings 0\n' }]);
    expect(out).toContain('      - run: |\n          npm ci\n          npm run lint -- --max-warnings 0\n\n  # the tests');
    const scalar = edit(workflow, [{ op: 'set', path: ['jobs', 'lint', 'steps', 1, 'run'], value: 'make lint' }]);
    expect(scalar).toContain('      - run: make lint\n\n  # the tests');
    const swapped = edit(workflow, [{ op: 'set', path: ['jobs', 'test', 'steps'], value: 'none' }]);
    expect(swapped).toBe(workflow.replace(/    steps:\n      - uses: actions\/checkout@v4\n      - name: Test\n        run: npm test # quick\n$/, '    steps: none\n'));
  });

  it('follows 4-space indentation and sequences written flush with their key', () => {
    const text = 'jobs:\n    build:\n        steps:\n        - uses: a\n';
    expect(edit(text, [{ op: 'set', path: ['jobs', 'build', 'env'], value: { A: ['x'] } }])).toBe(`${text}        env:\n            A:\n            - x\n`);
    expect(edit(text, [{ op: 'insert', path: ['jobs', 'build', 'steps'], index: 1, value: { run: 'b', with: { c: 1 } } }])).toBe(
      `${text}        - run: b\n          with:\n              c: 1\n`,
    );
  });

  it('keeps anchors and refuses to edit through an alias', () => {
    const text = 'defaults: &d\n  a: 1\nuse: *d\n';
    expect(edit(text, [{ op: 'set', path: ['defaults', 'b'], value: 2 }])).toBe('defaults: &d\n  a: 1\n  b: 2\nuse: *d\n');
    expect(() => yamlEngine.apply(text, [{ op: 'set', path: ['use', 'b'], value: 2 }], 'x.yml')).toThrow(/alias \(\*d\)/);
  });

  it('edits the named document of a multi-document file', () => {
    const text = 'a: 1\n---\n# second\nb: 2\n';
    expect(edit(text, [{ op: 'set', path: [1, 'c'], value: 3 }])).toBe('a: 1\n---\n# second\nb: 2\nc: 3\n');
  });

  it('deletes compact map keys and the last item of a block sequence', () => {
    const text = 'steps:\n  - uses: a\n    with:\n      x: 1\n';
    expect(edit(text, [{ op: 'delete', path: ['steps', 0, 'uses'] }])).toBe('steps:\n  - with:\n      x: 1\n');
    expect(edit(text, [{ op: 'delete', path: ['steps', 0] }])).toBe('steps: []\n');
  });

  it('writes flow lists as the file does, not taking expressions for padded flow maps', () => {
    const text = 'jobs:\n  a:\n    needs: lint\n    env:\n      T: ${{ secrets.T }}\n';
    expect(edit(text, [{ op: 'set', path: ['jobs', 'a', 'needs'], value: ['lint', 'changes'] }])).toContain('    needs: [lint, changes]\n');
    const padded = 'on: [ push ]\njobs:\n  a:\n    needs: lint\n';
    expect(edit(padded, [{ op: 'set', path: ['jobs', 'a', 'needs'], value: ['lint', 'changes'] }])).toContain('    needs: [ lint, changes ]\n');
  });

  it('takes the lines of spaces a deleted entry ends with out of the file, not into the script before it', () => {
    const text = 'steps:\n  - run: |\n      make\n        \n  - with:\n      path: |\n        out\n        \n  - run: done\n';
    expect(edit(text, [{ op: 'delete', path: ['steps', 1] }])).toBe('steps:\n  - run: |\n      make\n        \n  - run: done\n');
    const kept = 'a:\n  x: |+\n    one\n\n  y: 1\n\n  z: 2\n';
    expect(edit(kept, [{ op: 'delete', path: ['a', 'y'] }])).toBe('a:\n  x: |+\n    one\n\n  z: 2\n');
  });

  it('writes comments given with new keys', () => {
    const out = edit('a: 1\n', [{ op: 'set', path: ['b'], value: 2, comment: 'set by the rollout' }]);
    expect(out).toBe('a: 1\n# set by the rollout\nb: 2\n');
  });
});

// Every workflow of the corpus: random set/delete ops on random existing paths
// keep every line outside the edited entry byte-identical.
const corpusDir = path.resolve(import.meta.dirname, '../../../../shared/corpus/workflows');
const corpus = fs.existsSync(corpusDir) ? fs.readdirSync(corpusDir).filter((f) => /\.ya?ml$/.test(f)) : [];

function leafPaths(value: unknown, prefix: DataPath = []): DataPath[] {
  if (value === null || typeof value !== 'object') return prefix.length === 0 ? [] : [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => leafPaths(v, [...prefix, k]))].filter((p) => p.length > 0);
}

/** One random edit of a corpus workflow changes only the lines of the edited entry. */
const randomEdit = fc.property(fc.constantFrom(...(corpus.length > 0 ? corpus : [''])), fc.nat(), fc.boolean(), fc.string({ maxLength: 12 }), (name, pick, remove, word) => {
  const text = fs.readFileSync(path.join(corpusDir, name), 'utf8').replace(/\r\n/g, '\n');
  const data = yamlEngine.parse(text, name);
  const paths = leafPaths(data);
  if (paths.length === 0) return;
  const target = paths[pick % paths.length]!;
  const parent = target.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], data);
  const sibling = typeof parent === 'object' && parent !== null && !Array.isArray(parent);
  const op: EditOp = remove
    ? { op: 'delete', path: target }
    : { op: 'set', path: sibling ? [...target.slice(0, -1), 'x-added'] : target, value: word };
  let out: string;
  try {
    out = yamlEngine.apply(text, [op], name);
  } catch (error) {
    // Refusals (aliases, non-map parents) are allowed; they must be user errors.
    expect(error).toBeInstanceOf(UserError);
    return;
  }
  expect(dataEqual(yamlEngine.parse(out, name), applyOpsToData(data, [op]))).toBe(true);
  const parts = diffLines(text, out);
  const removed = parts.filter((part) => part.removed).reduce((n, part) => n + (part.count ?? 0), 0);
  const added = parts.filter((part) => part.added).reduce((n, part) => n + (part.count ?? 0), 0);
  // A delete only removes lines (the parent of a last entry becomes `key: {}`: one line).
  if (remove) expect(added).toBeLessThanOrEqual(1);
  // A new key is one contiguous change: every other line is byte-identical.
  else if (sibling) expect(structuredPatch('a', 'b', text, out, '', '', { context: 0 }).hunks.length).toBe(1);
  // A new key in a block map is a pure insertion of one line; in a flow map one line changes.
  // (A file without a final newline gets one before the new last line.)
  if (!remove && sibling) expect({ removed: removed <= 1, added: added <= (text.endsWith('\n') ? 1 : 2) }).toEqual({ removed: true, added: true });
});

// ORCHESTRATE_PROPERTY_RUNS=20000 runs many more random edits once (a long run, not part of `npm test`).
const longRuns = Number(process.env.ORCHESTRATE_PROPERTY_RUNS ?? 0);

describe.skipIf(corpus.length === 0)('random edits on the workflow corpus', () => {
  it('change only the lines of the edited entry', () => {
    fc.assert(randomEdit, { numRuns: 300 });
  });

  it('change only the lines of the edited entry, for seeds that once found a fault', () => {
    // Deleting the item after a `run: |` step left the deleted item's lines of spaces behind,
    // which then read as content of that step's script.
    fc.assert(randomEdit, { seed: 822862839, path: '208:33', endOnFailure: true });
  });

  it.runIf(longRuns > 0)('change only the lines of the edited entry, over a long run', () => {
    const seed = Number(process.env.ORCHESTRATE_PROPERTY_SEED ?? Date.now() % 2 ** 31);
    const started = Date.now();
    const details = fc.check(randomEdit, { numRuns: longRuns, seed });
    const found = details.failed ? { seed, path: details.counterexamplePath, counterexample: details.counterexample, error: String(details.errorInstance) } : 'no failure';
    console.log(`random edits: ${details.numRuns} runs from seed ${seed} in ${Math.round((Date.now() - started) / 1000)} s: ${JSON.stringify(found)}`);
    expect(found).toBe('no failure');
  }, 4 * 60 * 60 * 1000);
});
