/**
 * Two decisions a user sees at the start of a run: which reporter is used when
 * none is named, and which tasks the tree and the step summary show when the
 * run selects only some of them.
 */
import { builtInRegistry } from '../../handlers/built-in.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/plan/load-plan.js';
import { ProgressModel } from '../../src/ui/progress-model.js';
import { defaultReporter } from '../../src/ui/reporter.js';
import { stamp } from './events.js';

const tty = { isTTY: true, rows: 40 };
const pipe = { isTTY: false };

describe('the default reporter', () => {
  it('is the tree on a sized interactive terminal', () => {
    expect(defaultReporter({ TERM: 'xterm' }, { stdout: tty, stderr: tty }, false)).toBe('ink');
  });

  it('is github inside GitHub Actions, whatever the terminal', () => {
    expect(defaultReporter({ GITHUB_ACTIONS: 'true' }, { stdout: pipe, stderr: pipe }, true)).toBe('github');
    expect(defaultReporter({ GITHUB_ACTIONS: 'true' }, { stdout: tty, stderr: tty }, false)).toBe('github');
  });

  it('is plain in CI, off a terminal, on a dumb terminal, or on one that reports no size', () => {
    expect(defaultReporter({}, { stdout: tty, stderr: tty }, true)).toBe('plain');
    expect(defaultReporter({}, { stdout: pipe, stderr: tty }, false)).toBe('plain');
    expect(defaultReporter({}, { stdout: tty, stderr: pipe }, false)).toBe('plain');
    expect(defaultReporter({ TERM: 'dumb' }, { stdout: tty, stderr: tty }, false)).toBe('plain');
    expect(defaultReporter({}, { stdout: tty, stderr: { isTTY: true, rows: 0 } }, false)).toBe('plain');
  });
});

describe('a run of part of the plan', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows only the selected phases, and in them only the selected tasks', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'orchestrate-select-'));
    await writeFile(
      path.join(dir, 'phases.yaml'),
      `version: 1
phases:
  - id: 1
    name: One
    groups:
      - { id: a, tasks: [{ id: "1.1", type: command, run: ["true"] }, { id: "1.2", type: command, run: ["true"] }] }
      - { id: b, tasks: [{ id: "1.3", type: command, run: ["true"] }] }
  - id: 2
    name: Two
    groups:
      - { id: a, tasks: [{ id: "2.1", type: command, run: ["true"] }] }
`,
    );
    const { plan } = await loadPlan({ config: 'phases.yaml', processCwd: dir }, builtInRegistry());
    const model = new ProgressModel(plan);
    expect(model.overall().total).toBe(4);
    model.apply(stamp({ type: 'run:start', planFile: 'p', planHash: 'h', root: dir, dryRun: false, tasks: ['1.2'], phases: ['1'], fingerprints: {}, pid: 1 }, 1));
    expect(model.selectedPhases.map((p) => p.id)).toEqual(['1']);
    expect(model.selectedPhases[0]!.groups.map((g) => g.tasks.map((t) => t.id))).toEqual([['1.2']]);
    expect(model.overall()).toMatchObject({ finished: 0, done: 0, total: 1 });
  });
});
