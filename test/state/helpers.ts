/**
 * Shared pieces of the state tests: temp repositories that clean themselves
 * up, event builders, and fixtures bundled with esbuild so child processes run
 * the real src/state code under plain node.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, afterEach } from 'vitest';
import type { EngineEvent, EventOf } from '../../src/engine/events.js';
import { formatLogLine } from '../../src/state/run-log.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory standing in for the target repository; removed after the test. */
export function tempRoot(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-state-'));
  made.push(dir);
  return dir;
}

const bundles: string[] = [];
afterAll(() => {
  for (const dir of bundles.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Bundle test/state/fixtures/<name>.ts into a CommonJS file plain node can run; kept for the whole test file. */
export async function bundleFixture(name: string): Promise<string> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-fixture-'));
  bundles.push(outDir);
  const outfile = path.join(outDir, `${name}.cjs`);
  await build({
    entryPoints: [fileURLToPath(new URL(`./fixtures/${name}.ts`, import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

/** Start `node script ...args` and resolve once it prints `marker` on a line. */
export async function spawnUntil(script: string, args: string[], marker: string): Promise<{ child: ChildProcess; output: string }> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.split('\n').includes(marker)) resolve();
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before "${marker}": ${output}`)));
  });
  return { child, output };
}

/** Kill a child with SIGKILL and wait until it is gone. */
export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await gone;
}

const T0 = Date.UTC(2026, 10, 22, 4, 38, 1);

/** Events of a run, with times one second apart from a fixed start. */
export function eventsFor(runId: string) {
  let tick = 0;
  const base = () => ({ runId, time: T0 + 1000 * tick++ });
  return {
    runStart: (extra: Partial<EventOf<'run:start'>> = {}): EventOf<'run:start'> => ({
      type: 'run:start',
      ...base(),
      planFile: 'config/phases.yaml',
      planHash: 'hash-1',
      root: '/repo',
      dryRun: false,
      tasks: ['1.1', '1.2'],
      phases: ['1'],
      fingerprints: { '1.1': 'fp-1.1', '1.2': 'fp-1.2' },
      pid: 999_999,
      ...extra,
    }),
    taskStart: (taskId: string): EventOf<'task:start'> => ({ type: 'task:start', ...base(), taskId, phaseId: '1', groupId: 'a' }),
    taskOutput: (taskId: string, line: string): EventOf<'task:output'> => ({ type: 'task:output', ...base(), taskId, line }),
    taskFinish: (taskId: string, status: EventOf<'task:finish'>['status'], extra: Partial<EventOf<'task:finish'>> = {}): EventOf<'task:finish'> => ({
      type: 'task:finish',
      ...base(),
      taskId,
      status,
      summary: `${taskId} ${status}`,
      files: status === 'changed' ? [`${taskId}.txt`] : [],
      attempts: 1,
      durationMs: 10,
      fingerprint: `fp-${taskId}`,
      ...extra,
    }),
    checkpoint: (name: string, passed: boolean, extra: Partial<EventOf<'checkpoint:finish'>> = {}): EventOf<'checkpoint:finish'> => ({
      type: 'checkpoint:finish',
      ...base(),
      phaseId: '1',
      name,
      passed,
      detail: passed ? 'ok' : 'too low',
      durationMs: 5,
      ...extra,
    }),
    decision: (taskId: string, decision: 'approved' | 'skipped', note?: string): EventOf<'decision'> => ({
      type: 'decision',
      ...base(),
      taskId,
      decision,
      by: 'alice',
      ...(note === undefined ? {} : { note }),
    }),
    runFinish: (status: EventOf<'run:finish'>['status']): EventOf<'run:finish'> => ({
      type: 'run:finish',
      ...base(),
      status,
      exitCode: status === 'done' ? 0 : 1,
      durationMs: 1000,
      counts: { total: 0, changed: 0, unchanged: 0, skipped: 0, awaiting: 0, failed: 0, cancelled: 0, blocked: 0, doneEarlier: 0 },
    }),
  };
}

/** Write a whole log file at once in the writer's format, optionally with raw text after it. */
export function writeLog(file: string, events: EngineEvent[], trailing = ''): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, events.map(formatLogLine).join('') + trailing);
}

export const iso = (time: number): string => new Date(time).toISOString();
