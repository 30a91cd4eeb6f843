/**
 * The JSON reporter: one JSON object per line per event (the engine's events
 * as they are, schema in docs/events.md), then one `summary` object. Nothing
 * else goes to its stream.
 */
import type { RunResult } from '../engine/executor.js';
import type { Plan } from '../plan/types.js';
import type { Reporter, ReporterOptions } from './reporter.js';

/** Create the JSON-lines reporter. */
export function createJsonReporter(plan: Plan, options: ReporterOptions): Reporter {
  const write = (value: unknown) => options.stream.write(`${JSON.stringify(value)}\n`);
  let runId = '';
  const failedTasks: string[] = [];
  const awaitingTasks: string[] = [];
  let coverageLines: number | null = null;
  return {
    onEvent(event) {
      runId = event.runId;
      if (event.type === 'task:finish' && event.status === 'failed') failedTasks.push(event.taskId);
      if (event.type === 'task:finish' && event.status === 'awaiting') awaitingTasks.push(event.taskId);
      if (event.type === 'checkpoint:finish' && event.coverage?.lines !== undefined) coverageLines = event.coverage.lines;
      if (event.type === 'task:output' && !options.verbose) return;
      write(event);
    },
    finish(result: RunResult) {
      write({
        type: 'summary',
        runId,
        time: Date.now(),
        project: plan.project.name,
        status: result.status,
        exitCode: result.exitCode,
        durationMs: result.durationMs,
        counts: result.counts,
        failedTasks,
        awaitingTasks,
        coverageLines,
        files: result.changes.map((c) => ({ path: c.path, change: c.before === undefined ? 'created' : c.after === undefined ? 'removed' : 'modified' })),
      });
    },
  };
}
