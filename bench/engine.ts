/**
 * In-process benchmarks of the engine and its baselines. bench/run.mjs bundles
 * this file into bench/.out/engine.mjs and runs one measurement per process
 * (`node bench/.out/engine.mjs <name> '<json options>'`), so every figure comes
 * from a cold process, as a CLI run would; each prints one JSON line.
 *
 * The plans are built from config objects with `resolvePlan`, the same step
 * `orchestrate run` takes after parsing phases.yaml, and run by the real
 * `execute` with a real Workspace and (where asked) a real StateStore.
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { execa } from 'execa';
import pLimit from 'p-limit';
import writeFileAtomic from 'write-file-atomic';
import { commandHandler } from '../handlers/command/index.js';
import { builtInRegistry } from '../handlers/built-in.js';
import type { PlanConfig, TaskConfig } from '../src/config/schema.js';
import type { EngineEvent } from '../src/engine/events.js';
import { execute, type RunResult } from '../src/engine/executor.js';
import type { Handler } from '../src/engine/handler.js';
import { runProcess } from '../src/engine/process.js';
import { loadPlan } from '../src/plan/load-plan.js';
import { resolvePlan } from '../src/plan/resolve.js';
import { selectWork } from '../src/plan/selection.js';
import type { Plan } from '../src/plan/types.js';
import { createRunId, listRunLogs, readRunLog, RunLogWriter } from '../src/state/run-log.js';
import { emptySnapshot, reduceInPlace } from '../src/state/snapshot.js';
import { StateStore } from '../src/state/store.js';
import { Workspace } from '../src/workspace/workspace.js';

type Options = Record<string, unknown>;

/** A config of `phases` chained phases, each with parallel groups of `true` commands. */
export function commandPlanConfig(tasks: number, groups: number, phases: number, maxParallel: number): PlanConfig {
  const perGroup = Math.ceil(tasks / groups);
  const groupsPerPhase = Math.ceil(groups / phases);
  let made = 0;
  const config: PlanConfig = { version: 1, project: { name: 'bench' }, defaults: { max_parallel: maxParallel }, phases: [] };
  for (let p = 1; p <= phases && made < tasks; p++) {
    const phase: PlanConfig['phases'][number] = { id: String(p), name: `phase ${p}`, groups: [] };
    for (let g = 1; g <= groupsPerPhase && made < tasks; g++) {
      const list: TaskConfig[] = [];
      for (let t = 1; t <= perGroup && made < tasks; t++, made++) {
        list.push({ id: `${p}.${g}.${t}`, type: 'command', run: ['true'] } as TaskConfig);
      }
      // depends_on: [] so that every group of the phase runs at once, not one after another.
      phase.groups.push({ id: `g${g}`, execution: 'parallel', depends_on: [], tasks: list } as PlanConfig['phases'][number]['groups'][number]);
    }
    config.phases.push(phase);
  }
  return config;
}

function planOf(config: PlanConfig, root: string): Plan {
  return resolvePlan(config, { source: { file: 'phases.yaml', sha256: 'bench' }, root, registry: builtInRegistry() });
}

async function tempRoot(): Promise<string> {
  return realpath(await mkdtemp(path.join(tmpdir(), 'orchestrate-bench-')));
}

const noopHandler: Handler<never> = {
  ...(commandHandler as unknown as Handler<never>),
  run: async () => ({ status: 'unchanged', summary: '', files: [] }),
};

/** Awaits a timer as long as the task's `sleep SECONDS` command would run: scheduling without process start. */
const sleepHandler: Handler<never> = {
  ...(commandHandler as unknown as Handler<never>),
  run: async (task, ctx) => {
    const argv = (task as unknown as { run: string[] }).run;
    await delay(Number(argv[1]) * 1000, undefined, { signal: ctx.signal });
    return { status: 'changed', summary: '', files: [] };
  },
};

/** Calls to a method and the time spent in them. */
interface Tally {
  calls: number;
  ms: number;
}

/** Replace `target[key]` with a wrapper that counts and times its calls (diagnostics only). */
function tally<T extends object, K extends keyof T>(target: T, key: K): Tally {
  const original = target[key] as unknown as (...args: unknown[]) => unknown;
  const counts: Tally = { calls: 0, ms: 0 };
  (target as Record<K, unknown>)[key] = function (this: unknown, ...args: unknown[]) {
    const started = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      counts.calls++;
      counts.ms += performance.now() - started;
    }
  };
  return counts;
}

// What StateStore.record spends on its two kinds of I/O: log writes (one writeSync call per
// batch; `writeAll` is private, so reached through the prototype) and state.json saves.
const logWrites = tally(RunLogWriter.prototype as unknown as { writeAll: (text: string) => void }, 'writeAll');
const snapshotSaves = tally(writeFileAtomic, 'sync');

interface RunMeasure {
  ms: number;
  result: RunResult;
  /** Time spent inside StateStore.record and flush (end-of-turn flushes aside), and how many events it got by type. */
  storeMs: number;
  events: Record<string, number>;
  stateBytes: number;
  logBytes: number;
  /** Where StateStore.record's time goes, when persisted. */
  io: { logWrites: Tally; snapshotSaves: Tally };
  replay: ReturnType<typeof replay> | undefined;
}

/** Run a plan through `execute` with a real Workspace and, if `persist`, a real StateStore. */
async function runPlan(
  config: PlanConfig,
  handlerFor: (type: string) => Handler<never> | undefined,
  concurrency: number,
  persist: boolean,
): Promise<RunMeasure> {
  const root = await tempRoot();
  try {
    const plan = planOf(config, root);
    const selection = selectWork(plan, { all: true }, () => false);
    const events: Record<string, number> = {};
    let storeMs = 0;
    const started = performance.now();
    const store = persist ? StateStore.open(root) : undefined;
    const workspace = await Workspace.open(root, { dryRun: false });
    const result = await execute(plan, selection, {
      runId: createRunId(),
      dryRun: false,
      workspace,
      handlerFor,
      emit: (event: EngineEvent) => {
        events[event.type] = (events[event.type] ?? 0) + 1;
        if (!store) return;
        const t = performance.now();
        store.record(event);
        storeMs += performance.now() - t;
      },
      signal: new AbortController().signal,
      concurrency,
      planFile: 'phases.yaml',
      beforeWork: store
        ? () => {
            const t = performance.now();
            store.flush();
            storeMs += performance.now() - t;
          }
        : undefined,
    });
    store?.close();
    const ms = performance.now() - started;
    // A failed state.json save is only a warning to the store; here it would make the figures meaningless.
    if (store && store.warnings.length > 0) throw new Error(`state store warnings: ${store.warnings.join('; ')}`);
    const io = { logWrites: { ...logWrites }, snapshotSaves: { ...snapshotSaves } };
    if (result.status !== 'done') throw new Error(`run ended ${result.status}: ${JSON.stringify(result.counts)}`);
    return { ms, result, storeMs, events, stateBytes: sizeOf(path.join(root, '.orchestrate', 'state.json')), logBytes: await logBytes(root), io, replay: persist ? replayLogs(root) : undefined };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * The part of StateStore.record's time that is not I/O: the run's events
 * folded again with the fold the store uses (`reduceInPlace`), and the final
 * snapshot serialised once, as each state.json save does.
 */
function replay(events: readonly EngineEvent[]): { foldMs: number; snapshotBytes: number; stringifyOnceMs: number } {
  let snapshot = emptySnapshot();
  let started = performance.now();
  for (const event of events) snapshot = reduceInPlace(snapshot, event);
  const foldMs = performance.now() - started;
  started = performance.now();
  const snapshotBytes = JSON.stringify(snapshot, null, 2).length + 1;
  return { foldMs, snapshotBytes, stringifyOnceMs: performance.now() - started };
}

/** Replay the run's own log (read back after the timed run, so the run keeps no events in memory). */
function replayLogs(root: string): ReturnType<typeof replay> {
  const runs = path.join(root, '.orchestrate', 'runs');
  const events = listRunLogs(runs).flatMap((file) => readRunLog(file).events);
  return replay(events);
}

function sizeOf(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

async function logBytes(root: string): Promise<number> {
  const dir = path.join(root, '.orchestrate', 'runs');
  if (!existsSync(dir)) return 0;
  return (await readdir(dir)).reduce((sum, name) => sum + sizeOf(path.join(dir, name)), 0);
}

function num(options: Options, key: string, fallback: number): number {
  const value = options[key];
  return typeof value === 'number' ? value : fallback;
}

/** The DAG of benchmark 4: durations in seconds, as `sleep` arguments. */
export function dagConfig(maxParallel: number): PlanConfig {
  const t = (id: string, seconds: number): TaskConfig => ({ id, type: 'command', run: ['sleep', String(seconds)] }) as TaskConfig;
  type Group = PlanConfig['phases'][number]['groups'][number];
  const group = (id: string, execution: 'sequential' | 'parallel', dependsOn: string[], tasks: TaskConfig[]): Group =>
    ({ id, execution, depends_on: dependsOn, tasks }) as Group;
  return {
    version: 1,
    project: { name: 'dag' },
    defaults: { max_parallel: maxParallel },
    phases: [
      {
        id: '1',
        name: 'one',
        groups: [
          group('a', 'sequential', [], [t('1.a1', 0.1), t('1.a2', 0.2), t('1.a3', 0.15)]),
          group('b', 'parallel', [], [t('1.b1', 0.25), t('1.b2', 0.3), t('1.b3', 0.05)]),
          group('c', 'parallel', ['b'], [t('1.c1', 0.1), t('1.c2', 0.15)]),
          group('d', 'sequential', ['a', 'c'], [t('1.d1', 0.05), t('1.d2', 0.1), t('1.d3', 0.1)]),
        ],
      },
      {
        id: '2',
        name: 'two',
        depends_on: ['1'],
        groups: [
          group('a', 'parallel', [], [t('2.a1', 0.3), t('2.a2', 0.2), t('2.a3', 0.25)]),
          group('b', 'sequential', ['a'], [t('2.b1', 0.1), t('2.b2', 0.1), t('2.b3', 0.05)]),
          group('c', 'parallel', ['a'], [t('2.c1', 0.2), t('2.c2', 0.3)]),
        ],
      },
      {
        id: '3',
        name: 'three',
        depends_on: ['1'],
        groups: [
          group('a', 'sequential', [], [t('3.a1', 0.15), t('3.a2', 0.1), t('3.a3', 0.2), t('3.a4', 0.05), t('3.a5', 0.1)]),
          group('b', 'parallel', ['a'], [t('3.b1', 0.1), t('3.b2', 0.3)]),
        ],
      },
      {
        id: '4',
        name: 'four',
        depends_on: ['2', '3'],
        groups: [
          group('a', 'parallel', [], [t('4.a1', 0.2), t('4.a2', 0.25), t('4.a3', 0.3)]),
          group('b', 'sequential', [], [t('4.b1', 0.05), t('4.b2', 0.1), t('4.b3', 0.15)]),
          group('c', 'parallel', ['a', 'b'], [t('4.c1', 0.3), t('4.c2', 0.2), t('4.c3', 0.1)]),
          group('d', 'sequential', ['c'], [t('4.d1', 0.1), t('4.d2', 0.15), t('4.d3', 0.05)]),
          group('e', 'parallel', ['c'], [t('4.e1', 0.2), t('4.e2', 0.15)]),
        ],
      },
    ],
  };
}

/** A point in the ASAP schedule and the task durations of the longest path that ends there. */
interface Reach {
  at: number;
  path: number[];
}

const latest = (reaches: readonly Reach[]): Reach => reaches.reduce((a, b) => (b.at > a.at ? b : a), { at: 0, path: [] });

/**
 * Earliest start and finish of every task with unlimited slots: the critical
 * path (its length and its tasks' durations), the total work, and how many
 * tasks run at once at the peak (at most the concurrency: the bound is attainable).
 */
export function asapSchedule(plan: Plan): { criticalPathMs: number; criticalPath: number[]; totalWorkMs: number; peakWidth: number; tasks: number } {
  const ms = (task: Plan['phases'][number]['groups'][number]['tasks'][number]) => Number((task.spec as unknown as { run: string[] }).run[1]) * 1000;
  const phaseEnd = new Map<string, Reach>();
  const intervals: Array<[number, number]> = [];
  let totalWorkMs = 0;
  const phaseFinish = (id: string): Reach => {
    const known = phaseEnd.get(id);
    if (known) return known;
    const phase = plan.phases.find((p) => p.id === id)!;
    const start = latest(phase.dependsOn.map(phaseFinish));
    const groupEnd = new Map<string, Reach>();
    const groupFinish = (gid: string): Reach => {
      const seen = groupEnd.get(gid);
      if (seen) return seen;
      const group = phase.groups.find((g) => g.id === gid)!;
      const from = latest([start, ...group.dependsOn.map(groupFinish)]);
      let end: Reach = from;
      for (const task of group.tasks) {
        totalWorkMs += ms(task);
        if (group.execution === 'sequential') {
          intervals.push([end.at, end.at + ms(task)]);
          end = { at: end.at + ms(task), path: [...end.path, ms(task)] };
        } else {
          intervals.push([from.at, from.at + ms(task)]);
          end = latest([end, { at: from.at + ms(task), path: [...from.path, ms(task)] }]);
        }
      }
      groupEnd.set(gid, end);
      return end;
    };
    const end = latest([start, ...phase.groups.map((g) => groupFinish(g.id))]);
    phaseEnd.set(id, end);
    return end;
  };
  const critical = latest(plan.phases.map((p) => phaseFinish(p.id)));
  const points = intervals.flatMap(([s, e]) => [[s, 1] as const, [e, -1] as const]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let width = 0;
  let peakWidth = 0;
  for (const [, step] of points) peakWidth = Math.max(peakWidth, (width += step));
  return { criticalPathMs: critical.at, criticalPath: critical.path, totalWorkMs, peakWidth, tasks: intervals.length };
}

const benchmarks: Record<string, (options: Options) => Promise<unknown>> = {
  /** Benchmark 2, ours: no-op tasks through `execute`, state persisted or not. */
  async overhead(options) {
    const config = commandPlanConfig(num(options, 'tasks', 10_000), num(options, 'groups', 100), num(options, 'phases', 4), num(options, 'concurrency', 4));
    const persist = options.persist === true;
    const m = await runPlan(config, () => noopHandler, num(options, 'concurrency', 4), persist);
    return { ms: m.ms, storeMs: m.storeMs, ...m.io, events: m.events, stateBytes: m.stateBytes, logBytes: m.logBytes, tasks: m.result.counts.total, replay: m.replay };
  },

  /** Benchmark 2, baseline: the same number of empty async calls under p-limit. */
  async plimit(options) {
    const limit = pLimit(num(options, 'concurrency', 4));
    const started = performance.now();
    await Promise.all(Array.from({ length: num(options, 'tasks', 10_000) }, () => limit(async () => undefined)));
    return { ms: performance.now() - started };
  },

  /** Benchmark 3, in process: `true` commands through `execute` with the real command handler and state. */
  async commands(options) {
    const concurrency = num(options, 'concurrency', 2);
    const config = commandPlanConfig(num(options, 'tasks', 1_000), num(options, 'groups', 10), 1, concurrency);
    const cpu = process.cpuUsage();
    const m = await runPlan(config, (type) => builtInRegistry().handlerFor(type) as Handler<never> | undefined, concurrency, true);
    const used = process.cpuUsage(cpu);
    return { ms: m.ms, cpuMs: (used.user + used.system) / 1000, storeMs: m.storeMs, stateBytes: m.stateBytes };
  },

  /**
   * Benchmark 3, baseline and diagnostics: the same children under p-limit,
   * started by bare spawn (output ignored, or piped and read as runProcess
   * does), by execa, or by runProcess. `cpuMs` is this process's own CPU time.
   */
  async spawnLoop(options) {
    const root = await tempRoot();
    const limit = pLimit(num(options, 'concurrency', 2));
    const signal = new AbortController().signal;
    const how = String(options.how);
    const bare = (stdio: 'ignore' | 'pipe') => () =>
      new Promise((resolve, reject) => {
        const child = spawn('true', [], { cwd: root, stdio: ['ignore', stdio, stdio] });
        child.stdout?.resume();
        child.stderr?.resume();
        child.once('error', reject);
        child.once('close', resolve);
      });
    const once: () => Promise<unknown> =
      how === 'runProcess'
        ? () => runProcess(['true'], { cwd: root, signal })
        : how === 'execa'
          ? () => execa('true', [], { cwd: root, reject: false })
          : bare(how === 'pipes' ? 'pipe' : 'ignore');
    const cpu = process.cpuUsage();
    const started = performance.now();
    await Promise.all(Array.from({ length: num(options, 'tasks', 1_000) }, () => limit(once)));
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    await rm(root, { recursive: true, force: true });
    return { ms, cpuMs: (used.user + used.system) / 1000 };
  },

  /** Benchmark 4: the DAG of timer tasks; makespan against the lower bound. */
  async dag(options) {
    const concurrency = num(options, 'concurrency', 4);
    const config = dagConfig(concurrency);
    const bound = asapSchedule(planOf(config, '/'));
    const m = await runPlan(config, () => sleepHandler, concurrency, true);
    // The critical path's timers awaited one after another with no engine: what timers alone add.
    const started = performance.now();
    for (const wait of bound.criticalPath) await delay(wait);
    const bareChainMs = performance.now() - started;
    return { ms: m.result.durationMs, wallMs: m.ms, bareChainMs, ...bound, lowerBoundMs: Math.max(bound.criticalPathMs, bound.totalWorkMs / concurrency), concurrency };
  },

  /** Benchmark 1, breakdown: loading a plan file (read, YAML, zod, graph checks, resolve), cold then warm. */
  async loadPlan(options) {
    const location = { config: String(options.config), processCwd: process.cwd() };
    let started = performance.now();
    const { plan } = await loadPlan(location, builtInRegistry());
    const firstMs = performance.now() - started;
    started = performance.now();
    await loadPlan(location, builtInRegistry());
    const secondMs = performance.now() - started;
    return { firstMs, secondMs, tasks: plan.phases.flatMap((p) => p.groups.flatMap((g) => g.tasks)).length };
  },

  /** Write a generated command plan as phases.yaml (JSON is YAML) for the CLI run of benchmark 3. */
  async writePlan(options) {
    const config = commandPlanConfig(num(options, 'tasks', 1_000), num(options, 'groups', 10), 1, num(options, 'concurrency', 2));
    await writeFile(String(options.file), `${JSON.stringify({ ...config, project: { name: 'bench', root: '.' } }, null, 1)}\n`);
    return { file: options.file };
  },
};

const [name = '', json = '{}'] = process.argv.slice(2);
const bench = benchmarks[name];
if (!bench) {
  process.stderr.write(`unknown benchmark "${name}"; one of: ${Object.keys(benchmarks).join(', ')}\n`);
  process.exitCode = 2;
} else {
  process.stdout.write(`${JSON.stringify(await bench(JSON.parse(json) as Options))}\n`);
}
