/**
 * The frame painted before Ink has loaded must be the frame Ink then draws:
 * the same lines, the same characters in the same colours and weights, cut at
 * the same place on narrow terminals (wide characters included), at every
 * moment of a run of the 61-task roadmap and in short terminals.
 */
import { builtInRegistry } from '../../handlers/built-in.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/plan/load-plan.js';
import { ansiStyle, plainStyle, type Style } from '../../src/plan/render/style.js';
import type { Plan } from '../../src/plan/types.js';
import { ProgressTree } from '../../src/ui/ink/ProgressTree.js';
import { ProgressModel } from '../../src/ui/progress-model.js';
import stringWidth from 'string-width';
import { frameLines, loadTruncation, NARROW_SYMBOLS, paintFrame } from '../../src/ui/tree-frame.js';
import { walkPlan } from './events.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const T0 = Date.UTC(2026, 10, 22, 7, 0, 0);
let dir: string;
let roadmap: Plan;
let wide: Plan;

// Names of full-width characters and emoji: two columns each, where a cut in the wrong place shows.
const WIDE = `
version: 1
project: { name: 幅の広い名前のプロジェクト }
phases:
  - id: 1
    name: 構築と検証のための長いフェーズ名
    groups:
      - id: a
        name: 並列のグループ 🚀🚀🚀
        execution: parallel
        tasks:
          - { id: "1.1", name: 依存関係をすべて更新して確認する 📦📦📦📦, type: command, run: ["true"] }
          - { id: "1.2", name: テストを書いてカバレッジを上げる ✅✅✅✅, type: command, run: ["true"] }
`;

beforeAll(async () => {
  await loadTruncation();
  dir = await mkdtemp(path.join(os.tmpdir(), 'orchestrate-frame-'));
  await writeFile(path.join(dir, 'wide.yaml'), WIDE);
  ({ plan: wide } = await loadPlan({ config: 'wide.yaml', processCwd: dir }, builtInRegistry()));
  ({ plan: roadmap } = await loadPlan({ config: 'config/phases.yaml', processCwd: repoRoot }, builtInRegistry()));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Ink's frame of the tree, as ink-testing-library captures it (a terminal 100 columns wide). */
function inkFrame(model: ProgressModel, now: number, rows: number, columns: number, style: Style): string {
  const { lastFrame, unmount } = render(createElement(ProgressTree, { model, title: 'orchestrate test', now, rows, columns, style }));
  const text = lastFrame() ?? '';
  unmount();
  return text;
}

/**
 * A line as a terminal shows it: each character with the bold, dim and
 * colour in force (SGR codes decoded), trailing blanks dropped, so that two
 * byte sequences that draw the same thing compare equal.
 */
function cells(line: string): string[] {
  const out: string[] = [];
  let weight = '';
  let colour = '';
  const pattern = /\u001b\[([\d;]*)m|([\s\S])/gu;
  for (const match of line.matchAll(pattern)) {
    if (match[2] !== undefined) {
      out.push(`${match[2]}${weight}${colour}`);
      continue;
    }
    for (const code of (match[1] || '0').split(';').map(Number)) {
      if (code === 0) [weight, colour] = ['', ''];
      else if (code === 1 || code === 2) weight = code === 1 ? '+bold' : '+dim';
      else if (code === 22) weight = '';
      else if (code >= 30 && code <= 37) colour = `+fg${code}`;
      else if (code === 39) colour = '';
    }
  }
  while (out.length && out.at(-1)!.startsWith(' ') && !out.at(-1)!.includes('+')) out.pop();
  return out;
}

function expectSameFrame(model: ProgressModel, now: number, rows: number, columns: number, style: Style): void {
  const painted = frameLines({ model, title: 'orchestrate test', now, rows, columns, style })!;
  const drawn = inkFrame(model, now, rows, columns, style).split('\n');
  expect(painted.map(cells), `${columns}x${rows} at ${now - T0} ms`).toEqual(drawn.map(cells));
}

describe('the painted first frame', () => {
  it('is the frame Ink draws, line for line and cell for cell, through a whole run of the roadmap', () => {
    const model = new ProgressModel(roadmap);
    // Before any event: the very frame painted at start-up.
    for (const [rows, columns] of [[40, 100], [12, 100], [40, 60], [8, 30]] as const) expectSameFrame(model, T0, rows, columns, ansiStyle);
    let n = 0;
    let now = T0;
    for (const event of walkPlan(roadmap, T0, { flaky: ['1.2'], failing: ['3.1'] })) {
      model.apply(event);
      now = event.time;
      if (n++ % 23 === 0) expectSameFrame(model, now + 150, n % 2 ? 40 : 14, n % 3 ? 100 : 50, n % 5 ? ansiStyle : plainStyle);
    }
    expect(n).toBeGreaterThan(200);
    expectSameFrame(model, now + 500, 40, 100, ansiStyle);
  });

  it('cuts lines of wide characters where Ink cuts them, on narrow terminals', () => {
    const model = new ProgressModel(wide);
    let now = T0;
    for (const event of walkPlan(wide, T0)) {
      model.apply(event);
      now = event.time;
      for (const columns of [100, 41, 40, 25, 12]) expectSameFrame(model, now + 50, 40, columns, ansiStyle);
    }
    const lines = frameLines({ model, title: 'orchestrate test', now, rows: 40, columns: 25, style: plainStyle })!;
    expect(lines.some((line) => line.endsWith('…'))).toBe(true);
  });

  it('measures lines without string-width only when each character is one column wide', () => {
    for (const symbol of NARROW_SYMBOLS) expect(stringWidth(symbol), symbol).toBe(1);
  });

  it('is written as Ink writes a frame, and erased as Ink erases one', () => {
    let written = '';
    const frame = paintFrame({ write: (text: string) => (written += text) }, ['one', 'two']);
    expect(written).toBe('one\ntwo\n');
    frame.erase();
    // ansi-escapes' eraseLines(3), which Ink's log-update uses for a two-line frame and its trailing newline.
    expect(written.slice('one\ntwo\n'.length)).toBe('\u001b[2K\u001b[1A\u001b[2K\u001b[1A\u001b[2K\u001b[G');
  });
});
