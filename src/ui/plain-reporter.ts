/**
 * The plain reporter: one line per event, prefixed with the time and the task
 * id, no colour codes unless asked, no spinners; the recap at the end. The
 * default when stdout is not a terminal or when CI is detected.
 */
import { formatDuration } from '../config/format-duration.js';
import type { EngineEvent } from '../engine/events.js';
import type { RunResult } from '../engine/executor.js';
import type { Plan } from '../plan/types.js';
import type { Reporter, ReporterOptions } from './reporter.js';
import { oneLine } from './one-line.js';
import { progressText } from './progress-text.js';
import { RunJournal, renderDiffs, renderRecap } from './recap.js';

/** Create the plain reporter. */
export function createPlainReporter(plan: Plan, options: ReporterOptions): Reporter {
  const { stream, style, verbose } = options;
  const journal = new RunJournal(options.recap);
  const tasks = new Map(plan.phases.flatMap((p) => p.groups.flatMap((g) => g.tasks.map((t) => [t.id, t] as const))));
  const phases = new Map(plan.phases.map((p) => [p.id, p]));
  const line = (time: number, who: string, text: string) => {
    const clock = new Date(time).toISOString().slice(11, 19);
    stream.write(`${style.dim(clock)} ${who.padEnd(6)} ${text}\n`);
  };

  const onEvent = (event: EngineEvent): void => {
    journal.add(event);
    switch (event.type) {
      case 'run:start':
        line(event.time, 'run', `${event.dryRun ? 'dry run' : 'run'} ${event.runId}: ${event.tasks.length} task(s) in phase(s) ${event.phases.join(', ')}`);
        break;
      case 'phase:start':
        line(event.time, `P${event.phaseId}`, style.bold(`phase ${event.phaseId} ${phases.get(event.phaseId)?.name ?? ''} started`));
        break;
      case 'phase:finish':
        line(event.time, `P${event.phaseId}`, `phase ${event.phaseId} ${colourStatus(event.status, style)} (${formatDuration(event.durationMs)})`);
        break;
      case 'task:start':
        line(event.time, event.taskId, `start  ${tasks.get(event.taskId)?.name ?? ''}`);
        break;
      case 'task:attempt':
        if (event.attempt > 1) line(event.time, event.taskId, `attempt ${event.attempt}/${event.maxAttempts}`);
        break;
      case 'task:retry':
        line(event.time, event.taskId, style.yellow(`attempt ${event.attempt}/${event.maxAttempts} failed: ${event.error.split('\n')[0]}; retrying in ${formatDuration(event.delayMs)}`));
        break;
      case 'task:output':
        if (verbose) line(event.time, event.taskId.startsWith('checkpoint:') ? 'check' : event.taskId, style.dim(`│ ${oneLine(event.line)}`));
        break;
      case 'task:progress':
        line(event.time, event.taskId, `${tasks.get(event.taskId)?.type ?? 'task'} ${progressText(event)}`);
        break;
      case 'task:keep':
        if (verbose) line(event.time, event.taskId, style.dim(`kept ${event.files.join(', ')}`));
        break;
      case 'task:finish': {
        const attempts = event.attempts > 1 ? `, ${event.attempts} attempts` : '';
        line(event.time, event.taskId, `${colourStatus(event.status, style)}  ${event.summary} (${formatDuration(event.durationMs)}${attempts})`);
        if (verbose) for (const detail of event.details ?? []) line(event.time, event.taskId, style.dim(`· ${oneLine(detail)}`));
        break;
      }
      case 'task:skip':
        line(event.time, event.taskId, style.dim(`${event.reason === 'done-earlier' ? 'done earlier' : event.reason === 'settled' ? 'settled' : 'not run'}: ${event.detail}`));
        break;
      case 'checkpoint:start':
        line(event.time, `P${event.phaseId}`, `checkpoint ${event.name}`);
        break;
      case 'checkpoint:finish':
        line(event.time, `P${event.phaseId}`, `checkpoint ${event.name} ${event.passed ? style.green('passed') : style.red('failed')}: ${event.detail.split('\n')[0]}`);
        break;
      case 'decision':
        line(event.time, event.taskId, `${event.decision} by ${event.by}`);
        break;
      default:
        break;
    }
  };

  return {
    onEvent,
    finish(result: RunResult) {
      // The diffs first: a long one must not scroll the recap away.
      if (journal.dryRun && result.changes.length) stream.write(`\n${renderDiffs(result)}`);
      stream.write(renderRecap(plan, journal, result, style));
    },
  };
}

function colourStatus(status: string, style: ReporterOptions['style']): string {
  if (status === 'changed' || status === 'done') return style.green(status);
  if (status === 'failed') return style.red(status);
  if (status === 'awaiting' || status === 'cancelled') return style.yellow(status);
  return style.dim(status);
}
