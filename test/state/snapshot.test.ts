import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events.js';
import { emptySnapshot, parseSnapshot } from '../../src/state/snapshot-schema.js';
import { reduce, settleInterrupted, snapshotFromLogs } from '../../src/state/snapshot.js';
import { eventsFor, iso } from './helpers.js';

const fold = (events: EngineEvent[]) => events.reduce(reduce, emptySnapshot());

describe('reduce', () => {
  it('folds a finished run into runs, tasks and checkpoints', () => {
    const e = eventsFor('run-1');
    const start = e.runStart();
    const done = e.taskFinish('1.1', 'changed');
    const failed = e.taskFinish('1.2', 'failed', { error: 'boom', errorFile: 'jest.config.js', attempts: 3 });
    const gate = e.checkpoint('coverage', false, { coverage: { lines: 20 }, expected: { lines: 25 } });
    const finish = e.runFinish('failed');
    const snapshot = fold([start, e.taskStart('1.1'), e.taskOutput('1.1', 'hi'), done, e.taskStart('1.2'), failed, gate, finish]);

    expect(snapshot).toEqual({
      version: 1,
      planHash: 'hash-1',
      updatedAt: iso(finish.time),
      runs: [{ id: 'run-1', startedAt: iso(start.time), finishedAt: iso(finish.time), status: 'failed', dryRun: false, pid: 999_999 }],
      tasks: {
        '1.1': {
          status: 'done',
          outcome: 'changed',
          summary: '1.1 changed',
          files: ['1.1.txt'],
          attempts: 1,
          durationMs: 10,
          lastRunId: 'run-1',
          finishedAt: iso(done.time),
          fingerprint: 'fp-1.1',
        },
        '1.2': {
          status: 'failed',
          summary: '1.2 failed',
          files: [],
          attempts: 3,
          durationMs: 10,
          lastRunId: 'run-1',
          finishedAt: iso(failed.time),
          fingerprint: 'fp-1.2',
          error: 'boom',
          errorFile: 'jest.config.js',
        },
      },
      checkpoints: {
        '1': [{ name: 'coverage', passed: false, detail: 'too low', coverage: { lines: 20 }, expected: { lines: 25 }, time: iso(gate.time), runId: 'run-1' }],
      },
      decisions: {},
    });
    // What reduce produces is what state.json accepts.
    expect(parseSnapshot(JSON.stringify(snapshot))).toEqual({ snapshot });
  });

  it('maps task outcomes to task statuses', () => {
    const e = eventsFor('r');
    const snapshot = fold([
      e.runStart(),
      e.taskFinish('a', 'unchanged'),
      e.taskFinish('b', 'skipped'),
      e.taskFinish('c', 'awaiting'),
      e.taskFinish('d', 'cancelled', { error: 'timed out' }),
    ]);
    const view = Object.fromEntries(Object.entries(snapshot.tasks).map(([id, t]) => [id, [t.status, t.outcome]]));
    expect(view).toEqual({
      a: ['done', 'unchanged'],
      b: ['done', 'skipped'],
      c: ['awaiting', 'awaiting'],
      d: ['cancelled', undefined],
    });
  });

  it('keeps the latest result of each checkpoint, in first-seen order', () => {
    const e = eventsFor('r');
    const snapshot = fold([e.runStart(), e.checkpoint('tests', false), e.checkpoint('coverage', true), e.checkpoint('tests', true)]);
    expect(snapshot.checkpoints['1']?.map((c) => [c.name, c.passed])).toEqual([
      ['tests', true],
      ['coverage', true],
    ]);
  });

  it('settles manual tasks by decisions, even outside any run', () => {
    const e = eventsFor('decision-run');
    const snapshot = fold([e.decision('1.3', 'approved', 'done in the UI'), e.decision('1.4', 'skipped')]);
    expect(snapshot.tasks['1.3']).toMatchObject({ status: 'done', outcome: 'changed', summary: 'approved by alice: done in the UI' });
    expect(snapshot.tasks['1.4']).toMatchObject({ status: 'skipped', outcome: 'skipped' });
    expect(snapshot.decisions['1.3']).toMatchObject({ decision: 'approved', by: 'alice', note: 'done in the UI' });
    expect(snapshot.runs).toEqual([]);
  });

  it('ignores dry runs entirely', () => {
    const e = eventsFor('dry');
    const snapshot = fold([e.runStart({ dryRun: true }), e.taskStart('1.1'), e.taskFinish('1.1', 'changed'), e.runFinish('done')]);
    expect(snapshot).toEqual(emptySnapshot());
  });

  it('does not change the snapshot it is given', () => {
    const e = eventsFor('r');
    const before = fold([e.runStart(), e.taskStart('1.1')]);
    const copy = structuredClone(before);
    reduce(before, e.taskFinish('1.1', 'changed'));
    reduce(before, e.runFinish('done'));
    expect(before).toEqual(copy);
  });
});

describe('crashed runs', () => {
  it('reads a run without run:finish as interrupted, and its running task as cancelled', () => {
    const crashed = eventsFor('run-1');
    const snapshot = snapshotFromLogs([[crashed.runStart(), crashed.taskStart('1.1'), crashed.taskFinish('1.1', 'changed'), crashed.taskStart('1.2')]]);
    expect(snapshot.runs[0]?.status).toBe('interrupted');
    expect(snapshot.tasks['1.1']?.status).toBe('done');
    expect(snapshot.tasks['1.2']).toMatchObject({ status: 'cancelled', error: expect.stringMatching(/interrupted/) });
  });

  it('leaves a live run running', () => {
    const e = eventsFor('run-1');
    const snapshot = snapshotFromLogs([[e.runStart(), e.taskStart('1.1')]], (run) => run.pid === 999_999);
    expect(snapshot.runs[0]?.status).toBe('running');
    expect(snapshot.tasks['1.1']?.status).toBe('running');
  });

  it('lets a later run redo what a crashed run left', () => {
    const first = eventsFor('run-1');
    const second = eventsFor('run-2');
    const snapshot = snapshotFromLogs([
      [first.runStart(), first.taskStart('1.1')],
      [second.runStart(), second.taskStart('1.1'), second.taskFinish('1.1', 'changed'), second.runFinish('done')],
    ]);
    expect(snapshot.runs.map((r) => r.status)).toEqual(['interrupted', 'done']);
    expect(snapshot.tasks['1.1']).toMatchObject({ status: 'done', lastRunId: 'run-2' });
  });

  it('settleInterrupted returns the same snapshot when nothing is running', () => {
    const e = eventsFor('r');
    const snapshot = fold([e.runStart(), e.runFinish('done')]);
    expect(settleInterrupted(snapshot)).toBe(snapshot);
  });
});
