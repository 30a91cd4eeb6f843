/**
 * kill -9 at a random instant while a child process records events through
 * the real StateStore: the log must read back with at most one bad (last)
 * line, every earlier event intact and in order, and the state must open.
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
