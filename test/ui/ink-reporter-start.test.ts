/**
 * The Ink reporter's start, before Ink has loaded: the first frame is on the
 * terminal as soon as the reporter exists; a run that ends, or a pause (a
 * Ctrl-C message, a question) that comes, before Ink draws leaves the screen
 * as Ink would have: the message alone where it was written, the last frame
 * once, the recap below it. The bytes written go through a small terminal
 * model (lines, cursor up, erase line) to get the screen a person would see.
 */
import { builtInRegistry } from '../../handlers/built-in.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/engine/executor.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import { plainStyle } from '../../src/plan/render/style.js';
import type { Plan } from '../../src/plan/types.js';
import { createInkReporter } from '../../src/ui/ink-reporter.js';
import { stamp, walkPlan } from './events.js';

let dir: string;
let plan: Plan;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'orchestrate-ink-start-'));
  await writeFile(
    path.join(dir, 'phases.yaml'),
    `version: 1
project: { name: start-demo }
phases:
  - id: 1
    name: Build
    groups:
      - id: a
        tasks:
          - { id: "1.1", name: compile, type: command, run: ["true"] }
  - id: 2
    name: Ship
    groups:
      - id: a
        tasks:
          - { id: "2.1", name: ship it, type: command, run: ["true"] }
`,
  );
  ({ plan } = await loadPlan({ config: 'phases.yaml', processCwd: dir }, builtInRegistry()));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A terminal of `rows` x `columns` that records what is written to it, as a TTY stream. */
class FakeTerminal extends Writable {
  isTTY = true;
  rows = 30;
  columns = 80;
  bytes = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.bytes += chunk.toString();
    done();
  }
}

/** The screen (scrollback included) after the bytes: text lines, with colours and cursor visibility ignored. */
function screenOf(bytes: string): string[] {
  const lines: string[] = [''];
  let row = 0;
  let col = 0;
  const pattern = /\u001b\[(\??)([\d;]*)([A-Za-z])|([\s\S])/gu;
  for (const match of bytes.matchAll(pattern)) {
    const [, private_, arg, command, char] = match;
    if (char !== undefined) {
      if (char === '\n') {
        row++;
        col = 0;
        lines[row] ??= '';
      } else if (char === '\r') col = 0;
      else {
        const line = lines[row]!.padEnd(col);
        lines[row] = line.slice(0, col) + char + line.slice(col + 1);
        col++;
      }
      continue;
    }
    if (private_) continue; // cursor visibility, synchronized output
    if (command === 'A') row = Math.max(0, row - Number(arg || 1));
    else if (command === 'G') col = Number(arg || 1) - 1;
    else if (command === 'K') lines[row] = '';
    // 'm' (colour) changes nothing on the text
  }
  while (lines.length && lines.at(-1) === '') lines.pop();
  return lines.map((line) => line.trimEnd());
}

const T0 = Date.UTC(2026, 10, 22, 7, 0, 0);

function resultOf(status: RunResult['status']): RunResult {
  const counts = { total: 2, changed: 2, unchanged: 0, skipped: 0, awaiting: 0, failed: 0, cancelled: 0, blocked: 0, doneEarlier: 0 };
  return { status, exitCode: 0, counts, durationMs: 1000, changes: [] };
}

describe('the Ink reporter before Ink has loaded', () => {
  it('paints the first frame at once, and a run that ends first leaves its last frame once, then the recap', async () => {
    const terminal = new FakeTerminal();
    const reporter = await createInkReporter(plan, { stream: terminal, style: plainStyle, verbose: false });
    // Ink is still loading: the painted frame is what is on the screen.
    expect(screenOf(terminal.bytes)).toEqual(['orchestrate start-demo ░░░░░░░░░░ 0/2 tasks done', '▸ ○ Phase 1 Build  pending 0/1', '▸ ○ Phase 2 Ship  pending 0/1']);
    expect(terminal.bytes).not.toContain('\u001b[?25l');
    for (const event of walkPlan(plan, T0)) reporter.onEvent(event);
    await reporter.finish(resultOf('done'));
    const screen = screenOf(terminal.bytes);
    expect(screen.filter((line) => line.startsWith('orchestrate start-demo'))).toEqual([expect.stringMatching(/ 2\/2 tasks done/)]);
    expect(screen.filter((line) => /Phase 1 Build/.test(line) && /^[▸▾]/.test(line))).toHaveLength(1);
    expect(screen.findIndex((line) => line.includes('Run complete.'))).toBeGreaterThan(screen.findIndex((line) => /^[▸▾] .*Phase 2 Ship/.test(line)));
    // Ink, loading meanwhile, draws nothing once the run has ended.
    const written = terminal.bytes.length;
    await import('../../src/ui/ink/mount.js');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(terminal.bytes.length).toBe(written);
  });

  it('takes the painted frame off for a message written during a pause, and paints it again under the message', async () => {
    const terminal = new FakeTerminal();
    const reporter = await createInkReporter(plan, { stream: terminal, style: plainStyle, verbose: false });
    reporter.onEvent(stamp({ type: 'run:start', planFile: 'phases.yaml', planHash: 'x', root: dir, dryRun: false, tasks: ['1.1', '2.1'], phases: ['1', '2'], fingerprints: {}, pid: 1 }, T0));
    reporter.pause?.();
    terminal.write('SIGINT: stopping; running tasks are being cancelled\n');
    reporter.resume?.();
    await reporter.close?.();
    const screen = screenOf(terminal.bytes);
    expect(screen[0]).toBe('SIGINT: stopping; running tasks are being cancelled');
    expect(screen.filter((line) => line.startsWith('orchestrate start-demo'))).toHaveLength(1);
    expect(screen[1]).toMatch(/^orchestrate start-demo /);
  });
});
