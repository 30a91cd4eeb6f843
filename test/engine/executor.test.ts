/**
 * The executor called directly, with a real plan loaded from a temp file, a
 * real Workspace and the real handlers: only the clock-like parts (sleep,
 * randomness) are injected, so waits are recorded instead of waited and no
 * assertion depends on the wall clock.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInRegistry } from '../../handlers/built-in.js';
import type { EngineEvent, EventOf } from '../../src/engine/events.js';
import { execute, type ExecuteOptions } from '../../src/engine/executor.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import { selectWork } from '../../src/plan/selection.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { makeRepo, shTask, type PlanInput } from '../helpers/plans.js';

const builtIns = builtInRegistry();
const handlerFor = (type: string) => builtIns.handlerFor(type);

const FLAKY = 'n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; [ $n -ge 3 ]';

async function run(plan: PlanInput, options: Partial<ExecuteOptions> = {}, files: Record<string, string> = {}) {
  const repo = makeRepo(plan, files);
  const { plan: planned } = await loadPlan({ config: repo.planFile, processCwd: repo.dir }, builtInRegistry());
  const events: EngineEvent[] = [];
  const result = await execute(planned, selectWork(planned, { all: true }, () => false), {
    runId: 'test-run',
    dryRun: false,
    workspace: await Workspace.open(repo.dir, { dryRun: false }),
    handlerFor: (type) => handlerFor(type),
    emit: (event) => events.push(event),
    signal: new AbortController().signal,
    planFile: repo.planFile,
    ...options,
  });
  const of = <T extends EngineEvent['type']>(type: T) => events.filter((e): e is EventOf<T> => e.type === type);
  return { repo, result, events, of };
}

const onePhase = (tasks: Record<string, unknown>[], group: Record<string, unknown> = {}): PlanInput => ({
  phases: [{ id: '1', name: 'one', groups: [{ id: 'a', ...group, tasks }] }],
});

describe('execute: retries', () => {
  it('waits the planned backoff between attempts and not after the last', async () => {
    const waits: number[] = [];
    const { result, of } = await run(onePhase([shTask('1.1', FLAKY, { retries: 2, backoff: { initial: '50ms', factor: 2, max: '80ms', jitter: false } })]), {
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(waits).toEqual([50, 80]);
    expect(of('task:retry').map((e) => e.delayMs)).toEqual([50, 80]);
    expect(of('task:finish')).toMatchObject([{ taskId: '1.1', status: 'changed', attempts: 3 }]);
    expect(result).toMatchObject({ status: 'done', exitCode: 0 });
  });

  it('draws jittered waits from the injected random source', async () => {
    const waits: number[] = [];
    const { of } = await run(onePhase([shTask('1.1', FLAKY, { retries: 5, backoff: { initial: '1s', factor: 3, max: '2s', jitter: true } })]), {
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.25,
    });
    expect(waits).toEqual([250, 500]);
    expect(of('task:attempt').map((e) => e.attempt)).toEqual([1, 2, 3]);
  });

  it('makes retries + 1 attempts of a task that keeps failing, then fails the run', async () => {
    const waits: number[] = [];
    const { repo, result, of } = await run(onePhase([shTask('1.1', 'echo x >> tries; exit 1', { retries: 3, backoff: { initial: '1s', factor: 2, max: '1m', jitter: false } })]), {
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(waits).toEqual([1_000, 2_000, 4_000]);
    expect(fs.readFileSync(path.join(repo.dir, 'tries'), 'utf8')).toBe('x\nx\nx\nx\n');
    expect(of('task:finish')).toMatchObject([{ status: 'failed', attempts: 4 }]);
    expect(result).toMatchObject({ status: 'failed', exitCode: 1, counts: { failed: 1 } });
  });

  it('cancels a task whose retry wait is interrupted, and reports the run interrupted', async () => {
    const controller = new AbortController();
    const { repo, result, of } = await run(
      {
        phases: [
          { id: '1', name: 'one', groups: [{ id: 'a', tasks: [shTask('1.1', 'exit 1', { retries: 2 }), shTask('1.2', 'touch never')] }] },
          { id: '2', name: 'two', groups: [{ id: 'a', tasks: [shTask('2.1', 'touch never')] }] },
        ],
      },
      {
        signal: controller.signal,
        sleep: (_ms, signal) => {
          controller.abort(new Error('SIGINT'));
          return Promise.reject(signal.reason as Error);
        },
      },
    );
    expect(of('task:finish')).toMatchObject([{ taskId: '1.1', status: 'cancelled', attempts: 1 }]);
    expect(of('task:skip').map((e) => [e.taskId, e.reason])).toEqual([
      ['1.2', 'cancelled'],
      ['2.1', 'cancelled'],
    ]);
    expect(fs.existsSync(path.join(repo.dir, 'never'))).toBe(false);
    expect(result).toMatchObject({ status: 'interrupted', exitCode: 130 });
  });
});

describe('execute: beforeWork', () => {
  it('is called once before every attempt and checkpoint, before its work starts', async () => {
    let root = '';
    let calls = 0;
    const plan: PlanInput = {
      phases: [
        {
          id: '1',
          name: 'one',
          groups: [{ id: 'a', execution: 'parallel', tasks: ['1', '2', '3', '4'].map((n) => shTask(`1.${n}`, `echo ${n} >> order`)) }],
          checkpoints: [{ name: 'four lines', run: ['sh', '-c', 'test "$(wc -l < order)" -eq 4'] }],
        },
      ],
    };
    const { result } = await run(plan, {
      concurrency: 1,
      emit: (event) => {
        if (event.type === 'run:start') root = event.root;
      },
      beforeWork: () => {
        // The work this call precedes has not started: the file shows only earlier attempts' lines.
        const file = path.join(root, 'order');
        const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
        expect(lines).toHaveLength(Math.min(calls, 4));
        calls++;
      },
    });
    expect(result.status).toBe('done');
    expect(calls).toBe(5);
  });
});

describe('execute: scheduling', () => {
  /** Most tasks that were between their `start` and `end` lines at once. */
  function maxOverlap(log: string): number {
    let now = 0;
    let most = 0;
    for (const line of log.split('\n').filter(Boolean)) {
      now += line.startsWith('start') ? 1 : -1;
      most = Math.max(most, now);
    }
    return most;
  }
  const marked = (id: string) => shTask(id, `echo start ${id} >> log; sleep 0.2; echo end ${id} >> log`);

  it('never runs more tasks at once than the concurrency allows', async () => {
    const { repo, result } = await run(onePhase(['1', '2', '3', '4', '5', '6'].map((n) => marked(`1.${n}`)), { execution: 'parallel' }), { concurrency: 2 });
    expect(result.status).toBe('done');
    const log = fs.readFileSync(path.join(repo.dir, 'log'), 'utf8');
    expect(log.split('\n').filter(Boolean)).toHaveLength(12);
    expect(maxOverlap(log)).toBeLessThanOrEqual(2);
  });

  it('runs a sequential group one task at a time, in plan order', async () => {
    const { repo } = await run(onePhase(['1', '2', '3'].map((n) => marked(`1.${n}`))));
    const log = fs.readFileSync(path.join(repo.dir, 'log'), 'utf8');
    expect(log).toBe(['1', '2', '3'].map((n) => `start 1.${n}\nend 1.${n}\n`).join(''));
  });

  it('starts a group only after the groups it depends on are done', async () => {
    const { repo } = await run({
      phases: [
        {
          id: '1',
          name: 'one',
          groups: [
            { id: 'a', execution: 'parallel', tasks: [marked('1.1'), marked('1.2')] },
            { id: 'b', depends_on: ['a'], tasks: [marked('1.3')] },
          ],
        },
      ],
    });
    const lines = fs.readFileSync(path.join(repo.dir, 'log'), 'utf8').split('\n').filter(Boolean);
    expect(lines.indexOf('start 1.3')).toBeGreaterThan(Math.max(lines.indexOf('end 1.1'), lines.indexOf('end 1.2')));
  });
});

describe('execute: tasks that name the same file', () => {
  it('take turns on it in plan order in a parallel group: no conflict, no retry, every edit kept', async () => {
    const file = '.github/workflows/ci.yml';
    const workflow = 'name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n';
    const edits = [
      { id: '1.1', type: 'config_edit', file, action: 'set_timeout_minutes', params: { minutes: 30 } },
      { id: '1.2', type: 'config_edit', file, action: 'add_concurrency' },
      { id: '1.3', type: 'config_edit', file, action: 'set_permissions', params: { permissions: { contents: 'read' } } },
      { id: '1.4', type: 'config_edit', file: 'package.json', action: 'json_set', params: { path: 'scripts.ci', value: 'npm test' } },
    ];
    const waits: number[] = [];
    const { repo, of, result } = await run(onePhase(edits, { execution: 'parallel' }), { sleep: async (ms) => void waits.push(ms) }, { [file]: workflow, 'package.json': '{\n  "name": "x"\n}\n' });
    expect(of('task:retry')).toEqual([]);
    expect(waits).toEqual([]);
    // The three edits of ci.yml one after another, in plan order, each at its first attempt.
    expect(of('task:finish').filter((e) => e.taskId !== '1.4').map((e) => [e.taskId, e.status, e.attempts])).toEqual([
      ['1.1', 'changed', 1],
      ['1.2', 'changed', 1],
      ['1.3', 'changed', 1],
    ]);
    expect(of('task:finish').find((e) => e.taskId === '1.4')).toMatchObject({ status: 'changed', attempts: 1 });
    const text = fs.readFileSync(path.join(repo.dir, file), 'utf8');
    expect(text).toMatch(/timeout-minutes: 30/);
    expect(text).toMatch(/^concurrency:/m);
    expect(text).toMatch(/^permissions:\n {2}contents: read/m);
    expect(result).toMatchObject({ status: 'done', exitCode: 0 });
  });
});

describe('execute: one job of a sharded run', () => {
  const plan: PlanInput = {
    phases: [
      {
        id: '1',
        name: 'one',
        groups: [{ id: 'a', execution: 'sequential', tasks: [shTask('1.1', 'echo first > first.txt'), shTask('1.2', 'echo second > second.txt')] }],
        checkpoints: [{ name: 'never in a shard', run: ['sh', '-c', 'echo ran > checkpoint.txt'] }],
      },
    ],
  };

  it('runs the tasks of handlers that do not split only in shard 1, and no checkpoint', async () => {
    const second = await run(plan, { shard: { index: 2, count: 3 } });
    expect(second.of('task:finish').map((e) => [e.taskId, e.status, e.summary])).toEqual([
      ['1.1', 'skipped', 'runs in shard 1 of 3; this is shard 2'],
      ['1.2', 'skipped', 'runs in shard 1 of 3; this is shard 2'],
    ]);
    expect(fs.existsSync(path.join(second.repo.dir, 'first.txt'))).toBe(false);
    expect(second.of('checkpoint:start')).toEqual([]);
    expect(second.of('phase:finish')).toMatchObject([{ phaseId: '1', status: 'done', incomplete: true }]);
    expect(second.of('run:start')[0]?.shard).toEqual({ index: 2, count: 3 });

    const first = await run(plan, { shard: { index: 1, count: 3 } });
    expect(first.of('task:finish').map((e) => e.status)).toEqual(['changed', 'changed']);
    expect(fs.readFileSync(path.join(first.repo.dir, 'second.txt'), 'utf8')).toBe('second\n');
    expect(fs.existsSync(path.join(first.repo.dir, 'checkpoint.txt'))).toBe(false);
  });

  it('hands the shard to a handler that splits its work', async () => {
    const seen: unknown[] = [];
    const splitting = { ...handlerFor('command')!, splitsWork: true, run: async (_task: unknown, ctx: { shard?: unknown }) => (seen.push(ctx.shard), { status: 'unchanged' as const, summary: 'share done', files: [] }) };
    const { of } = await run(onePhase([shTask('1.1', 'true')]), { shard: { index: 2, count: 2 }, handlerFor: (type) => (type === 'command' ? (splitting as never) : handlerFor(type)) });
    expect(seen).toEqual([{ index: 2, count: 2 }]);
    expect(of('task:finish').map((e) => e.summary)).toEqual(['share done']);
  });
});
