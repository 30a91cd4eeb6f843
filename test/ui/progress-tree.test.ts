/**
 * The live tree rendered with Ink into a fake terminal (ink-testing-library):
 * what a person watching sees — symbols and words per state, attempt 2/3 and
 * the wait before it, counts per phase, the last output line, checkpoints with
 * coverage against the minimum, sequential and parallel groups told apart,
 * and the 61-task roadmap within a 40-line terminal at every moment of a run.
 */
import { builtInRegistry } from '../../handlers/built-in.js';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/plan/load-plan.js';
import { ansiStyle, plainStyle } from '../../src/plan/render/style.js';
import type { Plan } from '../../src/plan/types.js';
import { ProgressTree, RESERVED_LINES } from '../../src/ui/ink/ProgressTree.js';
import { ProgressModel } from '../../src/ui/progress-model.js';
import { oneLine } from '../../src/ui/one-line.js';
import { stamp, walkPlan } from './events.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const T0 = Date.UTC(2026, 10, 22, 7, 0, 0);
let dir: string;
let roadmap: Plan;
let small: Plan;

const SMALL = `
version: 1
project: { name: small }
phases:
  - id: 1
    name: Build
    groups:
      - id: tools
        name: Tools
        execution: parallel
        tasks:
          - { id: "1.1", name: flaky, type: command, retries: 2, run: ["true"] }
          - { id: "1.2", name: broken, type: command, run: ["true"] }
          - { id: "1.3", name: slow, type: command, run: ["true"] }
      - id: docs
        name: Docs
        depends_on: [tools]
        tasks:
          - { id: "1.4", name: protect branch, type: manual, instructions: "Protect main." }
          - { id: "1.5", name: write docs, type: command, run: ["true"] }
    checkpoints:
      - { name: coverage, coverage: { summary: coverage/coverage-summary.json, min: { lines: 80 } } }
  - id: 2
    name: Ship
    depends_on: [1]
    groups:
      - id: a
        tasks:
          - { id: "2.1", name: ship it, type: command, run: ["true"] }
`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'orchestrate-tree-'));
  await writeFile(path.join(dir, 'phases.yaml'), SMALL);
  ({ plan: small } = await loadPlan({ config: 'phases.yaml', processCwd: dir }, builtInRegistry()));
  ({ plan: roadmap } = await loadPlan({ config: 'config/phases.yaml', processCwd: repoRoot }, builtInRegistry()));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function frame(model: ProgressModel, now: number, size: { rows?: number; columns?: number } = {}, style = plainStyle): string {
  const { lastFrame, unmount } = render(
    createElement(ProgressTree, { model, title: 'orchestrate test', now, rows: size.rows ?? 40, columns: size.columns ?? 100, style }),
  );
  const text = lastFrame() ?? '';
  unmount();
  return text;
}

/** The small plan in the middle of phase 1: 1.1 waiting to retry, 1.2 failed, 1.3 running with output. */
function midRun(): ProgressModel {
  const model = new ProgressModel(small);
  let t = T0;
  const e = (body: Parameters<typeof stamp>[0]) => model.apply(stamp(body, (t += 100)));
  e({ type: 'run:start', planFile: 'phases.yaml', planHash: 'x', root: dir, dryRun: false, tasks: ['1.1', '1.2', '1.3', '1.4', '1.5', '2.1'], phases: ['1', '2'], fingerprints: {}, pid: 1 });
  e({ type: 'phase:start', phaseId: '1' });
  for (const id of ['1.1', '1.2', '1.3']) {
    e({ type: 'task:start', taskId: id, phaseId: '1', groupId: 'tools' });
    e({ type: 'task:attempt', taskId: id, attempt: 1, maxAttempts: id === '1.1' ? 3 : 1 });
  }
  e({ type: 'task:output', taskId: '1.3', line: 'compiling 42 files' });
  e({ type: 'task:retry', taskId: '1.1', attempt: 1, maxAttempts: 3, error: 'exit code 7', delayMs: 4000 });
  e({ type: 'task:finish', taskId: '1.2', status: 'failed', summary: 'command failed', files: [], attempts: 1, durationMs: 300, error: 'command failed with exit code 3', fingerprint: 'f' });
  return model;
}

describe('the live tree', () => {
  it('shows each task with its state: spinner and elapsed time, retry wait, failure, last output line, counts', () => {
    const model = midRun();
    const now = T0 + 2000;
    const text = frame(model, now);
    const line = (id: string) => text.split('\n').find((l) => l.includes(` ${id} `)) ?? '';
    expect(line('1.1')).toMatch(/↻ 1\.1\s+retrying\s+attempt 1\/3 failed, next in 3\.\d+s · flaky/);
    expect(line('1.2')).toMatch(/✗ 1\.2\s+failed\s+command failed with exit code 3/);
    expect(line('1.3')).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] 1\.3\s+running\s+1\.\ds · slow/);
    expect(text).toContain('› compiling 42 files');
    expect(line('1.4')).toMatch(/○ 1\.4\s+pending/);
    expect(text).toMatch(/Phase 1 Build\s+running 0\/5 · 1 failed · 1\.\ds/);
    expect(text).toMatch(/Phase 2 Ship\s+pending 0\/1/);
    expect(text.split('\n')[0]).toMatch(/ 0\/6 tasks done · 1 failed · 1\.9s$/);
  });

  it('shows the next attempt as attempt 2/3 once it starts', () => {
    const model = midRun();
    model.apply(stamp({ type: 'task:attempt', taskId: '1.1', attempt: 2, maxAttempts: 3 }, T0 + 5000));
    expect(frame(model, T0 + 6000)).toMatch(/1\.1\s+running\s+attempt 2\/3 · \d/);
  });

  it('tells parallel groups from sequential ones', () => {
    const text = frame(midRun(), T0 + 2000);
    expect(text).toMatch(/╞ Tools · ⇉ parallel, 2 running 1\/3/);
    expect(text).toMatch(/├ Docs · → sequential 0\/2/);
    expect(text.split('\n').find((l) => l.includes(' 1.3 '))).toMatch(/^\s+║/);
    expect(text.split('\n').find((l) => l.includes(' 1.5 '))).toMatch(/^\s+│/);
  });

  it('puts checkpoints under their phase with the coverage measured next to the minimum', () => {
    const model = midRun();
    model.apply(stamp({ type: 'checkpoint:start', phaseId: '1', name: 'coverage' }, T0 + 3000));
    model.apply(stamp({ type: 'task:output', taskId: 'checkpoint:1:coverage', line: 'Tests: 12 passed' }, T0 + 3050));
    expect(frame(model, T0 + 3060)).toMatch(/◆ checkpoint coverage running › Tests: 12 passed/);
    model.apply(
      stamp({ type: 'checkpoint:finish', phaseId: '1', name: 'coverage', passed: false, detail: 'coverage below the minimum: lines 71.2% < 80%', coverage: { lines: 71.2 }, expected: { lines: 80 }, durationMs: 20 }, T0 + 3100),
    );
    expect(frame(model, T0 + 3200)).toMatch(/◆ checkpoint coverage failed lines 71\.2% \(min 80%\)/);
  });

  it('shows a person awaited and tasks blocked by a failure', () => {
    const model = midRun();
    model.apply(stamp({ type: 'task:finish', taskId: '1.4', status: 'awaiting', summary: 'waits for a person', files: [], attempts: 1, durationMs: 1, fingerprint: 'f' }, T0 + 3000));
    model.apply(stamp({ type: 'task:skip', taskId: '1.5', reason: 'dependency-failed', detail: 'tools failed' }, T0 + 3000));
    const text = frame(model, T0 + 3100);
    expect(text).toMatch(/… 1\.4\s+awaiting\s+waits for a person/);
    expect(text).toMatch(/⊘ 1\.5\s+blocked\s+tools failed/);
    expect(text).toMatch(/Phase 1 Build\s+running 0\/5 · 1 failed · 1 blocked/);
  });

  it('writes no colour codes with the plain style, and colours with the ANSI one', () => {
    const model = midRun();
    expect(frame(model, T0 + 2000)).not.toMatch(/\u001b\[/);
    const coloured = frame(model, T0 + 2000, {}, ansiStyle);
    expect(coloured).toContain('\u001b[31m✗\u001b[39m');
    expect(coloured).toContain('\u001b[33m↻\u001b[39m');
  });

  it('keeps a command that moves the cursor or colours its output from breaking the tree', () => {
    const model = midRun();
    model.apply(stamp({ type: 'task:output', taskId: '1.3', line: '\u001b[32mPASS\u001b[39m 10%\r\u001b[2K\u001b[1A 55%\tdone\u0007' }, T0 + 1500));
    const text = frame(model, T0 + 2000);
    expect(text).toContain('› 55% done');
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(oneLine('first\nsecond')).toBe('first');
    expect(oneLine('\u001b]8;;https://x\u0007link\u001b]8;;\u0007')).toBe('link');
  });

  it('cuts long lines at the terminal width instead of wrapping them', () => {
    const model = midRun();
    model.apply(stamp({ type: 'task:output', taskId: '1.3', line: 'x'.repeat(300) }, T0 + 1500));
    const text = frame(model, T0 + 2000, { columns: 60 });
    const lines = text.split('\n');
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(60);
    expect(lines.some((l) => l.includes('xxxx'))).toBe(true);
  });
});

describe('the roadmap (61 tasks) on a 40-line terminal', () => {
  it('fits at every moment of a whole run, the running phase expanded, every phase one line at least', () => {
    const model = new ProgressModel(roadmap);
    const budget = 40 - RESERVED_LINES;
    let tallest = 0;
    let frames = 0;
    let sawExpandedTask = false;
    for (const event of walkPlan(roadmap, T0, { flaky: ['2.3'], failing: ['3.2'] })) {
      model.apply(event);
      const text = frame(model, event.time);
      const lines = text.split('\n');
      tallest = Math.max(tallest, lines.length);
      frames++;
      // Every phase of the plan keeps its line.
      for (const phase of roadmap.phases) expect(text).toContain(`Phase ${phase.id} ${phase.name}`);
      if (event.type === 'task:start') {
        expect(text).toContain(` ${event.taskId} `);
        sawExpandedTask = true;
      }
    }
    expect(frames).toBeGreaterThan(300);
    expect(tallest).toBeLessThanOrEqual(budget);
    expect(sawExpandedTask).toBe(true);
  });

  it('collapses finished and pending phases to one line each, with their counts', () => {
    const model = new ProgressModel(roadmap);
    const events = [...walkPlan(roadmap, T0)];
    // Stop in the middle of phase 3: phases 1 and 2 done, 3 running, the rest pending.
    const cut = events.findIndex((e) => e.type === 'task:start' && e.phaseId === '3');
    for (const event of events.slice(0, cut + 1)) model.apply(event);
    const now = events[cut]!.time + 60_000;
    const text = frame(model, now);
    const lines = text.split('\n');
    expect(lines.length).toBeLessThanOrEqual(38);
    const p1 = roadmap.phases[0]!;
    const tasksOf = (id: string) => roadmap.phases.find((p) => p.id === id)!.groups.flatMap((g) => g.tasks).length;
    expect(lines.filter((l) => l.includes(`Phase ${p1.id} `))).toEqual([expect.stringMatching(new RegExp(`^▸ ✓ Phase 1 .*done ${tasksOf('1')}/${tasksOf('1')}`))]);
    expect(lines.find((l) => l.includes('Phase 3 '))).toMatch(/^▾ /);
    expect(lines.find((l) => l.includes('Phase 6 '))).toMatch(new RegExp(`^▸ ○ Phase 6 .*pending 0/${tasksOf('6')}`));
  });

  it('still fits a short terminal, keeping the running tasks before the rest', () => {
    const model = new ProgressModel(roadmap);
    const events = [...walkPlan(roadmap, T0)];
    const cut = events.findIndex((e) => e.type === 'task:output' && e.taskId.startsWith('2.'));
    for (const event of events.slice(0, cut + 1)) model.apply(event);
    const text = frame(model, events[cut]!.time, { rows: 12 });
    expect(text.split('\n').length).toBeLessThanOrEqual(12 - RESERVED_LINES);
    expect(text).toMatch(/running\s/);
  });
});
