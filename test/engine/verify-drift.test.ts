/**
 * `status --verify`: done tasks are dry-run against today's files; a task
 * whose change is gone again is reported as drifted. Uses a real plan, a real
 * workspace on a temp dir, the real state store, and a small handler that
 * writes a file through the workspace (as file-editing handlers do).
 */
import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtInRegistry } from '../../handlers/built-in.js';
import { verifyDrift } from '../../src/api/status.js';
import type { HandlerParts } from '../../src/engine/handler.js';
import { execute } from '../../src/engine/executor.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import { selectWork } from '../../src/plan/selection.js';
import { StateStore } from '../../src/state/store.js';
import { Workspace } from '../../src/workspace/workspace.js';

const builtIns = builtInRegistry();
const handlerFor = (type: string) => builtIns.handlerFor(type);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'orchestrate-drift-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Stands in for a file-writing handler: it makes sure `notice.txt` has a line, as config edits make sure of a setting.
const ensureLine: HandlerParts<never> = {
  type: 'command',
  summary: 'test',
  describe: () => 'ensure notice.txt',
  run: async (_task, ctx) => {
    const current = (await ctx.workspace.read('notice.txt')) ?? '';
    if (current.includes('managed\n')) return { status: 'unchanged', summary: 'already there', files: [] };
    await ctx.workspace.write('notice.txt', `${current}managed\n`);
    return { status: 'changed', summary: 'added', files: ['notice.txt'] };
  },
};

describe('status --verify', () => {
  it('reports a done task as drifted when its change is gone, and intact when it is there', async () => {
    await writeFile(
      path.join(dir, 'phases.yaml'),
      'version: 1\nphases:\n  - id: 1\n    name: One\n    groups:\n      - id: a\n        tasks:\n          - { id: "1.1", type: command, run: ["true"] }\n',
    );
    const { plan } = await loadPlan({ config: 'phases.yaml', processCwd: dir }, builtInRegistry());
    const store = StateStore.open(dir);
    const workspace = await Workspace.open(dir, { dryRun: false });
    const result = await execute(plan, selectWork(plan, { all: true }, () => false), {
      runId: 'r1',
      dryRun: false,
      workspace,
      handlerFor: () => ensureLine,
      emit: (event) => store.record(event),
      signal: new AbortController().signal,
      planFile: plan.source.file,
    });
    store.close();
    expect(result.status).toBe('done');
    const snapshot = StateStore.open(dir).snapshot;
    expect(snapshot.tasks['1.1']?.status).toBe('done');

    expect(await verifyDrift(plan, snapshot, () => ensureLine)).toEqual([{ taskId: '1.1', state: 'intact', detail: 'in place' }]);
    await unlink(path.join(dir, 'notice.txt'));
    const drift = await verifyDrift(plan, snapshot, () => ensureLine);
    expect(drift).toEqual([{ taskId: '1.1', state: 'drifted', detail: 'would change notice.txt again' }]);
  });

  it('says a command task cannot be checked without running it', async () => {
    await writeFile(
      path.join(dir, 'phases.yaml'),
      'version: 1\nphases:\n  - id: 1\n    name: One\n    groups:\n      - id: a\n        tasks:\n          - { id: "1.1", type: command, run: ["sh", "-c", "echo ran >> ran.txt"] }\n',
    );
    const { plan } = await loadPlan({ config: 'phases.yaml', processCwd: dir }, builtInRegistry());
    const store = StateStore.open(dir);
    await execute(plan, selectWork(plan, { all: true }, () => false), {
      runId: 'r1',
      dryRun: false,
      workspace: await Workspace.open(dir, { dryRun: false }),
      handlerFor,
      emit: (event) => store.record(event),
      signal: new AbortController().signal,
      planFile: plan.source.file,
    });
    store.close();
    const drift = await verifyDrift(plan, StateStore.open(dir).snapshot, handlerFor);
    expect(drift).toEqual([{ taskId: '1.1', state: 'unverifiable', detail: 'command tasks cannot be checked without running them' }]);
    expect(await readFile(path.join(dir, 'ran.txt'), 'utf8')).toBe('ran\n');
  });
});
