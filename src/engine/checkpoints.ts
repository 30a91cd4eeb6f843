/**
 * Checkpoints after a phase: commands that must exit as expected, and
 * coverage reports (istanbul json-summary or coverage.py JSON) compared with
 * minimums. A report older than the phase's start is stale and never read as
 * this run's result.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { formatCommand } from './format-command.js';
import type { PlannedCheckpoint, PlannedPhase } from '../plan/types.js';
import type { CoverageMeasured, EventBody } from './events.js';
import { runProcess } from './process.js';

export interface CheckpointResult {
  passed: boolean;
  /** Stopped before it could pass or fail (the run was interrupted): no result to keep. */
  cancelled?: boolean;
  detail: string;
  coverage?: CoverageMeasured;
  expected?: CoverageMeasured;
}

const KEYS = ['lines', 'statements', 'functions', 'branches'] as const;

/** What running a phase's checkpoints needs from the executor. */
export interface PhaseCheckpointContext {
  root: string;
  /** When the phase started: coverage reports older than this are stale. */
  since: number;
  stop: AbortSignal;
  /** The run's global concurrency limit; a checkpoint takes a slot like a task. */
  limit: <T>(fn: () => Promise<T>) => Promise<T>;
  now: () => number;
  emit: (event: EventBody) => void;
  /** Called just before a checkpoint starts (see ExecuteOptions.beforeWork). */
  beforeWork?: (() => void) | undefined;
}

/** Run a phase's checkpoints in order, stopping at the first failure; emits their events. */
export async function runPhaseCheckpoints(phase: PlannedPhase, context: PhaseCheckpointContext): Promise<'done' | 'failed' | 'cancelled'> {
  const { emit, now } = context;
  for (const checkpoint of phase.checkpoints) {
    if (context.stop.aborted) return 'cancelled';
    const started = now();
    emit({ type: 'checkpoint:start', phaseId: phase.id, name: checkpoint.name });
    const result = await context.limit(() => {
      context.beforeWork?.();
      return runCheckpoint(checkpoint, {
        root: context.root,
        since: context.since,
        signal: context.stop,
        onLine: (line) => emit({ type: 'task:output', taskId: `checkpoint:${phase.id}:${checkpoint.name}`, line }),
      });
    });
    // A stopped check proved nothing either way; recording it as failed would show an interrupted phase as failed.
    if (result.cancelled) return 'cancelled';
    emit({
      type: 'checkpoint:finish',
      phaseId: phase.id,
      name: checkpoint.name,
      passed: result.passed,
      detail: result.detail,
      coverage: result.coverage,
      expected: result.expected,
      durationMs: now() - started,
    });
    if (!result.passed) return 'failed';
  }
  return 'done';
}

/** Run one checkpoint in `root`; `since` is when the phase started (older reports are stale). */
export async function runCheckpoint(
  checkpoint: PlannedCheckpoint,
  options: { root: string; since: number; signal: AbortSignal; onLine?: (line: string) => void },
): Promise<CheckpointResult> {
  const spec = checkpoint.spec;
  // Refused under untrusted: a failure that says why, and nothing run.
  if (checkpoint.refused !== undefined) return { passed: false, detail: checkpoint.refused };
  if (spec.run !== undefined) {
    const expected = spec.expect_exit_code ?? 0;
    const cwd = path.resolve(options.root, spec.cwd ?? '.');
    if (path.relative(options.root, cwd).startsWith('..')) return { passed: false, detail: `cwd ${spec.cwd} is outside the target repository` };
    const result = await runProcess(spec.run, {
      cwd,
      shell: spec.shell ?? false,
      signal: options.signal,
      timeoutMs: checkpoint.timeoutMs,
      ...(options.onLine ? { onLine: (line: string) => options.onLine!(line) } : {}),
    });
    const command = formatCommand(spec.run);
    if (result.timedOut) return { passed: false, detail: `${command} timed out\n${tail(result.output)}` };
    if (result.cancelled) return { passed: false, cancelled: true, detail: `${command} was cancelled` };
    if (result.exitCode === expected) return { passed: true, detail: `${command} exited ${expected}` };
    const how = result.exitCode === undefined ? (result.signal ? `was killed by ${result.signal}` : 'could not start') : `exited ${result.exitCode}`;
    return { passed: false, detail: `${command} ${how}, expected ${expected}\n${tail(result.output)}`.trimEnd() };
  }
  const coverage = spec.coverage!;
  const file = path.resolve(options.root, coverage.summary);
  if (path.relative(options.root, file).startsWith('..')) {
    return { passed: false, detail: `${coverage.summary} is outside the target repository` };
  }
  let info;
  try {
    info = await stat(file);
  } catch {
    return { passed: false, detail: `no coverage report at ${coverage.summary}; run the tests with coverage in a checkpoint before this one`, expected: coverage.min };
  }
  if (info.mtimeMs < options.since) {
    return {
      passed: false,
      detail: `${coverage.summary} is older than this phase (written ${new Date(info.mtimeMs).toISOString()}); it was not produced by this run`,
      expected: coverage.min,
    };
  }
  let measured: CoverageMeasured;
  try {
    measured = readCoverage(JSON.parse(await readFile(file, 'utf8')));
  } catch (error) {
    return { passed: false, detail: `${coverage.summary} is not a coverage report: ${error instanceof Error ? error.message : String(error)}`, expected: coverage.min };
  }
  const shortfalls = KEYS.filter((k) => coverage.min[k] !== undefined).flatMap((k) => {
    const value = measured[k];
    if (value === undefined) return [`${k}: not in the report`];
    return value + 1e-9 < coverage.min[k]! ? [`${k} ${value}% < ${coverage.min[k]}%`] : [];
  });
  const summary = KEYS.filter((k) => measured[k] !== undefined).map((k) => `${k} ${measured[k]}%`).join(', ');
  return shortfalls.length
    ? { passed: false, detail: `coverage below the minimum: ${shortfalls.join(', ')}`, coverage: measured, expected: coverage.min }
    : { passed: true, detail: `coverage ${summary}`, coverage: measured, expected: coverage.min };
}

/** Percentages from an istanbul coverage-summary.json or a coverage.py JSON report. */
export function readCoverage(report: unknown): CoverageMeasured {
  const data = report as { total?: Record<string, { pct?: unknown }>; totals?: Record<string, unknown> };
  if (data?.total && typeof data.total === 'object') {
    const out: CoverageMeasured = {};
    for (const key of KEYS) {
      const pct = data.total[key]?.pct;
      if (typeof pct === 'number') out[key] = round(pct);
    }
    if (Object.keys(out).length) return out;
  }
  if (data?.totals && typeof data.totals === 'object') {
    const t = data.totals;
    const out: CoverageMeasured = {};
    // coverage.py measures lines as statements; its percent_covered mixes in branches when branch coverage is on.
    if (typeof t.num_statements === 'number' && typeof t.covered_lines === 'number' && t.num_statements > 0) {
      out.lines = round((100 * t.covered_lines) / t.num_statements);
      out.statements = out.lines;
    } else if (typeof t.percent_covered === 'number') out.lines = round(t.percent_covered);
    if (typeof t.num_branches === 'number' && typeof t.covered_branches === 'number' && t.num_branches > 0) {
      out.branches = round((100 * t.covered_branches) / t.num_branches);
    }
    if (out.lines !== undefined) return out;
  }
  throw new Error('expected an istanbul json-summary (total.lines.pct) or a coverage.py JSON report (totals.percent_covered)');
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function tail(output: string, lines = 20): string {
  return output.split('\n').slice(-lines).join('\n');
}
