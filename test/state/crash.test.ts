/**
 * kill -9 at a random instant while a child process records events through
 * the real StateStore: the log must read back with at most one bad (last)
 * line, every earlier event intact and in order, and the state must open.
 * Events are written in batches, so the test also checks what batching
 * promises: a result recorded before a task's work starts is on disk by then,
 * and by the end of the event-loop turn it was recorded in.
 */
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events.js';
import { statePaths } from '../../src/state/paths.js';
import { listRunLogs, readRunLog } from '../../src/state/run-log.js';
import { parseSnapshot } from '../../src/state/snapshot-schema.js';
import { StateStore } from '../../src/state/store.js';
import { bundleFixture, killHard, spawnUntil, tempRoot } from './helpers.js';

let harness = '';
beforeAll(async () => {
  harness = await bundleFixture('record-loop');
});

/** The n-th event the harness records after run:start: start, output, finish per task. */
function expectedAt(index: number): { type: string; taskId: string } {
  const kinds = ['task:start', 'task:output', 'task:finish'];
  return { type: kinds[index % 3] ?? '', taskId: `t${Math.floor(index / 3)}` };
}

function checkLogPrefix(events: EngineEvent[]): void {
  expect(events[0]?.type).toBe('run:start');
  events.slice(1).forEach((event, index) => {
    expect({ type: event.type, taskId: 'taskId' in event ? event.taskId : '' }).toEqual(expectedAt(index));
    if (event.type === 'task:output') expect(event.line.startsWith(`${Math.floor(index / 3)} `)).toBe(true);
  });
}

describe('a run killed with SIGKILL', () => {
  for (const round of [1, 2, 3]) {
    it(`leaves a readable log and state (round ${round})`, async () => {
      const root = tempRoot();
      const { child } = await spawnUntil(harness, [root], 'ready');
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 150)));
      await killHard(child);

      const [log, ...others] = listRunLogs(statePaths(root).runsDir);
      expect(others).toEqual([]);
      const read = readRunLog(log ?? '');
      expect(read.warnings.length).toBeLessThanOrEqual(1);
      for (const warning of read.warnings) expect(warning).toMatch(/the last line is incomplete/);
      expect(read.events.length).toBeGreaterThan(60);
      checkLogPrefix(read.events);

      // state.json is written atomically, so whatever is there parses.
      const parsed = parseSnapshot(fs.readFileSync(statePaths(root).stateFile, 'utf8'));
      expect('snapshot' in parsed).toBe(true);

      // Work on task i started only after every earlier result was written; an ack came a turn after its result.
      const done = new Set(read.events.flatMap((event) => (event.type === 'task:finish' ? [event.taskId] : [])));
      const work = fs.readFileSync(`${root}/work.txt`, 'utf8').split('\n');
      const started = work.flatMap((line) => (/^work \d+$/.test(line) ? [Number(line.slice(5))] : []));
      const acked = work.flatMap((line) => (/^ack \d+$/.test(line) ? [`t${line.slice(4)}`] : []));
      expect(started.length).toBeGreaterThan(20);
      const settledBeforeLastWork = started.slice(0, -1).map((i) => `t${i}`);
      expect(settledBeforeLastWork.filter((id) => !done.has(id))).toEqual([]);
      expect(acked.length).toBeGreaterThan(1);
      expect(acked.filter((id) => !done.has(id))).toEqual([]);

      const store = StateStore.open(root);
      expect(store.snapshot.runs.map((run) => run.status)).toEqual(['interrupted']);
      const finished = read.events.filter((event) => event.type === 'task:finish').length;
      const tasks = Object.values(store.snapshot.tasks);
      expect(tasks.filter((task) => task.status === 'done')).toHaveLength(finished);
      // At most the task that was running when the kill came is left, as cancelled.
      expect(tasks.filter((task) => task.status !== 'done').map((task) => task.status)).toEqual(
        tasks.length > finished ? ['cancelled'] : [],
      );
    });
  }
});
