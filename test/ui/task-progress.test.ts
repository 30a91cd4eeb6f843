/**
 * A long task's progress reports as the live tree and the GitHub log show
 * them: the running row's `12/40 sources`, gone once the task ends; in
 * GitHub Actions a line at most once a minute per task, and where a failed
 * task stopped.
 */
import { builtInRegistry } from '../../handlers/built-in.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBody } from '../../src/engine/events.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import { plainStyle } from '../../src/plan/render/style.js';
import type { Plan } from '../../src/plan/types.js';
import { createGithubReporter } from '../../src/ui/github-reporter.js';
import { ProgressTree } from '../../src/ui/ink/ProgressTree.js';
import { ProgressModel } from '../../src/ui/progress-model.js';
import { stamp } from './events.js';

const T0 = Date.UTC(2026, 10, 22, 7, 0, 0);
let dir = '';
let plan: Plan;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'orchestrate-progress-'));
  await writeFile(
    path.join(dir, 'phases.yaml'),
    `version: 1
project: { name: progress }
phases:
  - id: 2
    name: Tests
    groups:
      - id: a
        tasks:
          - { id: "2.1", name: Generate tests, type: test_generation, targets: "src/**/*.ts" }
`,
  );
  ({ plan } = await loadPlan({ config: 'phases.yaml', processCwd: dir }, builtInRegistry()));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const START: EventBody[] = [
  { type: 'run:start', planFile: 'phases.yaml', planHash: 'x', root: '/r', dryRun: false, tasks: ['2.1'], phases: ['2'], fingerprints: {}, pid: 1 },
  { type: 'phase:start', phaseId: '2' },
  { type: 'task:start', taskId: '2.1', phaseId: '2', groupId: 'a' },
  { type: 'task:attempt', taskId: '2.1', attempt: 1, maxAttempts: 1 },
];
const progress = (done: number, current: string): EventBody => ({ type: 'task:progress', taskId: '2.1', done, total: 40, unit: 'sources', current });

function frame(model: ProgressModel, now: number): string {
  const { lastFrame, unmount } = render(createElement(ProgressTree, { model, title: 'orchestrate', now, rows: 20, columns: 100, style: plainStyle }));
  const text = lastFrame() ?? '';
  unmount();
  return text;
}

describe('the live tree', () => {
  it('shows the running task’s counts in its row, and drops them when it ends', () => {
    const model = new ProgressModel(plan);
    START.forEach((body, i) => model.apply(stamp(body, T0 + i)));
    model.apply(stamp(progress(12, 'src/parse.ts'), T0 + 5_000));
    const row = frame(model, T0 + 6_000).split('\n').find((l) => l.includes(' 2.1 ')) ?? '';
    expect(row).toMatch(/2\.1 +running +12\/40 sources · 6\.0s/);

    model.apply(stamp({ type: 'task:finish', taskId: '2.1', status: 'changed', summary: 'wrote 40 test files', files: [], attempts: 1, durationMs: 9_000, fingerprint: 'f' }, T0 + 9_000));
    const done = frame(model, T0 + 9_500).split('\n').find((l) => l.includes(' 2.1 ')) ?? '';
    expect(done).toContain('wrote 40 test files');
    expect(done).not.toContain('12/40');
  });
});

describe('the GitHub log', () => {
  it('prints a running task’s progress at most once a minute, and where a failed task stopped', () => {
    const stream = new PassThrough();
    let out = '';
    stream.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const reporter = createGithubReporter(plan, { stream, style: plainStyle, verbose: false, env: {} });
    START.forEach((body, i) => reporter.onEvent(stamp(body, T0 + i)));
    const seconds = [10, 30, 61, 70, 100, 125, 126];
    seconds.forEach((s, i) => reporter.onEvent(stamp(progress(i + 1, `src/m${i + 1}.ts`), T0 + s * 1000)));
    expect(out.match(/^… 2\.1 .*$/gm)).toEqual(['… 2.1 3/40 sources: src/m3.ts', '… 2.1 6/40 sources: src/m6.ts']);

    reporter.onEvent(stamp({ type: 'task:keep', taskId: '2.1', files: ['src/m7.test.ts'] }, T0 + 127_000));
    reporter.onEvent(
      stamp({ type: 'task:finish', taskId: '2.1', status: 'failed', summary: 'timed out after 2m', files: ['src/m7.test.ts'], attempts: 1, durationMs: 128_000, error: 'timed out after 2m', fingerprint: 'f' }, T0 + 128_000),
    );
    const failure = out.slice(out.indexOf('✗ 2.1'));
    expect(failure).toContain('kept src/m7.test.ts');
    expect(failure).toContain('stopped at 7/40 sources: src/m7.ts');
  });
});
