import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events.js';
import { acquireLock } from '../../src/state/lock.js';
import { runLogPath, statePaths } from '../../src/state/paths.js';
import { listRunLogs, readRunLog } from '../../src/state/run-log.js';
import { StateStore } from '../../src/state/store.js';
import { eventsFor, tempRoot, writeLog } from './helpers.js';

const RUN = '20261122T043801.000Z-aaaaaa';

/** A finished run: 1.1 changed, 1.2 failed, one checkpoint. */
function finishedRun(runId = RUN): EngineEvent[] {
  const e = eventsFor(runId);
  return [
    e.runStart(),
    e.taskStart('1.1'),
    e.taskFinish('1.1', 'changed'),
    e.taskStart('1.2'),
    e.taskFinish('1.2', 'failed', { error: 'boom' }),
    e.checkpoint('tests', true),
    e.runFinish('failed'),
  ];
}

function recordAll(root: string, events: EngineEvent[]): StateStore {
  const store = StateStore.open(root);
  for (const event of events) store.record(event);
  store.close();
  return store;
}

describe('StateStore', () => {
  it('logs every event and saves a snapshot that reads back as it was', () => {
    const root = tempRoot();
    const events = finishedRun();
    const written = recordAll(root, events);
    expect(readRunLog(runLogPath(root, RUN))).toMatchObject({ events, warnings: [] });
    const reopened = StateStore.open(root);
    expect(reopened.warnings).toEqual([]);
    expect(reopened.snapshot).toEqual(written.snapshot);
    expect(reopened.snapshot.tasks['1.1']?.status).toBe('done');
    expect(reopened.snapshot.runs[0]?.status).toBe('failed');
  });

  it('reads state.json when it covers every log, without rereading the logs', () => {
    const root = tempRoot();
    recordAll(root, finishedRun());
    const file = statePaths(root).stateFile;
    // A mark only the cache has: if open() rebuilt from the logs, it would be gone.
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"planHash": "hash-1"', '"planHash": "from-cache"'));
    expect(StateStore.open(root).snapshot.planHash).toBe('from-cache');
  });

  it('rebuilds from the logs, with a warning, when state.json is missing', () => {
    const root = tempRoot();
    const expected = recordAll(root, finishedRun()).snapshot;
    fs.rmSync(statePaths(root).stateFile);
    const store = StateStore.open(root);
    expect(store.snapshot).toEqual(expected);
    expect(store.warnings).toEqual([expect.stringMatching(/state\.json is missing; rebuilt it from 1 run log/)]);
  });

  it.each([
    ['half-written JSON', '{"version":1,"planHash":"h'],
    ['not a snapshot', '{"version":7}'],
    ['empty', ''],
  ])('rebuilds from the logs, with a warning, when state.json is %s', (_name, text) => {
    const root = tempRoot();
    const expected = recordAll(root, finishedRun()).snapshot;
    fs.writeFileSync(statePaths(root).stateFile, text);
    const store = StateStore.open(root);
    expect(store.snapshot).toEqual(expected);
    expect(store.warnings).toEqual([expect.stringMatching(/state\.json is damaged .*rebuilt it from the run logs/)]);
  });

  it('rebuilds silently when a log has grown past what state.json covers', () => {
    const root = tempRoot();
    recordAll(root, finishedRun());
    const later = eventsFor('20261123T000000.000Z-bbbbbb');
    writeLog(runLogPath(root, '20261123T000000.000Z-bbbbbb'), [later.runStart(), later.taskFinish('1.2', 'changed'), later.runFinish('done')]);
    const store = StateStore.open(root);
    expect(store.warnings).toEqual([]);
    expect(store.snapshot.tasks['1.2']?.status).toBe('done');
    expect(store.snapshot.runs.map((run) => run.status)).toEqual(['failed', 'done']);
  });

  it('saves task results to state.json when their phase ends, while a reader sees them in the log at once', async () => {
    const root = tempRoot();
    const e = eventsFor(RUN);
    const phaseFinish = (phaseId: string): EngineEvent => ({ type: 'phase:finish', runId: RUN, time: Date.UTC(2026, 10, 22, 5), phaseId, status: 'done', durationMs: 0 });
    const saved = () => JSON.parse(fs.readFileSync(statePaths(root).stateFile, 'utf8')) as { tasks: Record<string, { status: string }> };
    const store = StateStore.open(root);
    for (const event of [e.runStart(), e.taskStart('1.1'), e.taskFinish('1.1', 'changed')]) store.record(event);
    store.flush();
    // A run of n tasks does not rewrite state.json n times...
    expect(saved().tasks['1.1']).toBeUndefined();
    // ...and `status` in another process still sees the result, from the log.
    expect(StateStore.open(root).snapshot.tasks['1.1']?.status).toBe('done');

    store.record(phaseFinish('1'));
    store.flush(); // as the engine does before the next handler attempt
    expect(saved().tasks['1.1']?.status).toBe('done');

    for (const event of [e.taskStart('2.1'), e.taskFinish('2.1', 'changed'), phaseFinish('2')]) store.record(event);
    await new Promise((resolve) => setImmediate(resolve));
    expect(saved().tasks['2.1']?.status).toBe('done');
    store.record(e.runFinish('done'));
    store.close();
    expect(StateStore.open(root).warnings).toEqual([]);
  });

  it('folds what the logs gained since state.json was saved into it, to the state a full rebuild gives', () => {
    const root = tempRoot();
    recordAll(root, finishedRun('20261121T000000.000Z-cccccc'));
    const e = eventsFor(RUN);
    const phaseFinish: EngineEvent = { type: 'phase:finish', runId: RUN, time: Date.UTC(2026, 10, 22, 5), phaseId: '1', status: 'done', durationMs: 0 };
    const store = StateStore.open(root);
    for (const event of [e.runStart(), e.taskStart('1.1'), e.taskFinish('1.1', 'failed', { error: 'again' }), phaseFinish]) store.record(event);
    store.flush(); // state.json saved at the phase end
    for (const event of [e.taskStart('1.2'), e.taskFinish('1.2', 'changed'), e.taskStart('1.3')]) store.record(event);
    store.flush(); // in the log only; then the process dies without saving

    const incremental = StateStore.open(root);
    expect(incremental.warnings).toEqual([]);
    expect(incremental.snapshot.tasks['1.2']?.status).toBe('done');
    expect(incremental.snapshot.tasks['1.3']?.status).toBe('cancelled');
    expect(incremental.snapshot.runs.map((run) => run.status)).toEqual(['failed', 'interrupted']);
    fs.rmSync(statePaths(root).stateFile);
    const rebuilt = StateStore.open(root);
    expect(incremental.snapshot).toEqual(rebuilt.snapshot);
  });

  it('rebuilds from the logs when one is shorter than state.json says', () => {
    const root = tempRoot();
    recordAll(root, finishedRun());
    const log = runLogPath(root, RUN);
    const lines = fs.readFileSync(log, 'utf8').split('\n');
    // The log as it was two events before the end (a backup restored over it, say).
    fs.writeFileSync(log, `${lines.slice(0, -3).join('\n')}\n`);
    const store = StateStore.open(root);
    expect(store.snapshot.runs[0]?.status).toBe('interrupted');
    expect(store.snapshot.checkpoints).toEqual({});
  });

  it('reads a run that died mid-way as interrupted, its running task as cancelled', () => {
    const root = tempRoot();
    const e = eventsFor(RUN);
    // As the process left it: state.json saved after 1.1, then 1.2 started, then kill -9.
    const store = StateStore.open(root);
    for (const event of [e.runStart(), e.taskStart('1.1'), e.taskFinish('1.1', 'changed'), e.taskStart('1.2')]) store.record(event);
    store.close(); // only releases the fd; it writes nothing
    fs.appendFileSync(runLogPath(root, RUN), '{"type":"task:out');

    const reopened = StateStore.open(root);
    expect(reopened.snapshot.runs[0]?.status).toBe('interrupted');
    expect(reopened.snapshot.tasks['1.1']?.status).toBe('done');
    expect(reopened.snapshot.tasks['1.2']?.status).toBe('cancelled');
    expect(reopened.warnings).toEqual([expect.stringMatching(/:5: the last line is incomplete/)]);
  });

  it('shows a run as running while its process holds the lock', async () => {
    const root = tempRoot();
    const lock = await acquireLock(root, { command: 'test' });
    try {
      const e = eventsFor(RUN);
      recordAll(root, [e.runStart({ pid: process.pid }), e.taskStart('1.1')]);
      const store = StateStore.open(root);
      expect(store.snapshot.runs[0]?.status).toBe('running');
      expect(store.snapshot.tasks['1.1']?.status).toBe('running');
    } finally {
      await lock.release();
    }
    expect(StateStore.open(root).snapshot.runs[0]?.status).toBe('interrupted');
  });

  it('records approve/skip outside a run in a log of its own that a rebuild sees', () => {
    const root = tempRoot();
    recordAll(root, finishedRun());
    const { snapshot, event } = StateStore.appendDecision(root, { taskId: '1.3', decision: 'approved', by: 'alice', note: 'done by hand' });
    expect(snapshot.tasks['1.3']).toMatchObject({ status: 'done', outcome: 'changed' });
    expect(snapshot.decisions['1.3']).toMatchObject({ decision: 'approved', by: 'alice', note: 'done by hand' });
    const logs = listRunLogs(statePaths(root).runsDir);
    expect(logs).toHaveLength(2);
    expect(readRunLog(runLogPath(root, event.runId)).events).toEqual([event]);

    StateStore.appendDecision(root, { taskId: '1.4', decision: 'skipped', by: 'bob' });
    fs.rmSync(statePaths(root).stateFile);
    const rebuilt = StateStore.open(root).snapshot;
    expect(rebuilt.tasks['1.3']?.status).toBe('done');
    expect(rebuilt.tasks['1.4']?.status).toBe('skipped');
    expect(rebuilt.tasks['1.1']?.status).toBe('done');
  });

  it('neither logs nor saves a dry run', () => {
    const root = tempRoot();
    const e = eventsFor(RUN);
    recordAll(root, [e.runStart({ dryRun: true }), e.taskStart('1.1'), e.taskFinish('1.1', 'changed'), e.runFinish('done')]);
    expect(fs.existsSync(statePaths(root).dir)).toBe(false);
  });

  it('clears temp files a killed writer left next to state.json', () => {
    const root = tempRoot();
    fs.mkdirSync(statePaths(root).dir, { recursive: true });
    const leftover = `${statePaths(root).stateFile}.1234567`;
    fs.writeFileSync(leftover, '{"version":1,');
    recordAll(root, finishedRun());
    expect(fs.readdirSync(statePaths(root).dir).sort()).toEqual(['runs', 'state.json']);
    expect(path.basename(leftover)).toMatch(/^state\.json\.\d+$/);
  });
});
