/**
 * Model-based property test: random writes, removes, reads, commits and
 * discards across three views must leave the disk (real run) or the run's
 * changes (dry run) exactly as a simple in-memory model predicts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../src/workspace/workspace.js';
import type { WorkspaceTransaction } from '../../src/workspace/workspace.js';
import { fingerprint, readTree, tempTree } from './helpers.js';

const PATHS = ['a.txt', 'b.txt', 'd/c.txt', 'd/e/f.txt'] as const;
const VIEWS = 3;

type Files = Map<string, string | undefined>;
type Op =
  | { kind: 'write'; view: number; path: string; content: string }
  | { kind: 'remove' | 'read'; view: number; path: string }
  | { kind: 'commit' | 'discard'; view: number };

// No '\r' and no BOM, so line-ending adaptation never applies and the model stays simple.
const content = fc.string({ unit: fc.constantFrom('a', 'b', '\n'), maxLength: 6 });
const path = fc.constantFrom(...PATHS);
const view = fc.integer({ min: 0, max: VIEWS - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), view, path, content }),
  fc.record({ kind: fc.constantFrom('remove' as const, 'read' as const), view, path }),
  fc.record({ kind: fc.constantFrom('commit' as const, 'discard' as const), view }),
);
const initial = fc.dictionary(path, content, { maxKeys: PATHS.length });

class ModelView {
  readonly bases = new Map<string, { content: string | undefined; version: number }>();
  readonly staged: Files = new Map();
  constructor(readonly real: WorkspaceTransaction) {}
  base(model: Model, p: string): string | undefined {
    if (!this.bases.has(p)) this.bases.set(p, { content: model.files.get(p), version: model.version(p) });
    return this.bases.get(p)?.content;
  }
  stage(p: string, next: string | undefined, base: string | undefined): void {
    if (next === base) this.staged.delete(p);
    else this.staged.set(p, next);
  }
}

class Model {
  readonly versions = new Map<string, number>();
  constructor(readonly files: Files) {}
  version(p: string): number {
    return this.versions.get(p) ?? 0;
  }
  /** True when the model expects the commit to succeed (and then applies it). */
  commit(v: ModelView): boolean {
    for (const [p, seen] of v.bases) if (this.version(p) !== seen.version) return false;
    for (const [p, after] of v.staged) {
      this.files.set(p, after);
      this.versions.set(p, this.version(p) + 1);
    }
    return true;
  }
}

async function play(dryRun: boolean, start: Record<string, string>, ops: Op[]): Promise<void> {
  const root = await tempTree(start);
  const before = await fingerprint(root);
  const ws = await Workspace.open(root, { dryRun });
  const model = new Model(new Map(Object.entries(start)));
  const views = Array.from({ length: VIEWS }, () => new ModelView(ws.view()));
  for (const step of ops) {
    const v = views[step.view];
    if (v === undefined) throw new Error('view index out of range');
    if (step.kind === 'read') {
      const expected = v.staged.has(step.path) ? v.staged.get(step.path) : v.base(model, step.path);
      expect(await v.real.read(step.path)).toBe(expected);
    } else if (step.kind === 'write') {
      const base = v.base(model, step.path);
      v.stage(step.path, step.content, base);
      await v.real.write(step.path, step.content);
    } else if (step.kind === 'remove') {
      const base = v.base(model, step.path);
      v.stage(step.path, undefined, base);
      await v.real.remove(step.path);
    } else {
      if (step.kind === 'commit') {
        const outcome = v.real.commit().then(
          () => true,
          () => false,
        );
        expect(await outcome).toBe(model.commit(v));
      }
      v.real.discard();
      views[step.view] = new ModelView(ws.view());
    }
    const current = views[step.view];
    const staged = [...(current?.staged ?? [])].sort(([x], [y]) => x.localeCompare(y));
    expect(current?.real.changes()).toEqual(
      staged.map(([p, after]) => ({ path: p, before: current?.bases.get(p)?.content, after })),
    );
  }
  const expected = Object.fromEntries([...model.files].filter((e): e is [string, string] => e[1] !== undefined));
  if (dryRun) {
    expect(await fingerprint(root)).toEqual(before);
    const after = Object.fromEntries(Object.entries(start));
    for (const change of ws.changes()) {
      expect(change.before).toBe(start[change.path]);
      if (change.after === undefined) delete after[change.path];
      else after[change.path] = change.after;
    }
    expect(after).toEqual(expected);
  } else {
    expect(await readTree(root)).toEqual(expected);
  }
}

describe('Workspace against a model', () => {
  it.each([false, true])('matches the model for random operations (dryRun=%s)', async (dryRun) => {
    await fc.assert(
      fc.asyncProperty(initial, fc.array(op, { maxLength: 25 }), (start, ops) => play(dryRun, start, ops)),
      { numRuns: 60 },
    );
  });
});
