/**
 * The GitHub Actions reporter: each finished task's log in a collapsed
 * `::group::`, except a failing task's, printed outside any group so it is
 * seen; `::error` / `::warning` annotations with the file (and line) where
 * known; at the end the recap, a step summary (`$GITHUB_STEP_SUMMARY`) and the
 * step's outputs (`$GITHUB_OUTPUT`): status, failed-tasks, awaiting-tasks,
 * changed-files, coverage-lines.
 */
import { appendFile } from 'node:fs/promises';
import { formatDuration } from '../config/format-duration.js';
import type { EngineEvent, EventOf } from '../engine/events.js';
import type { RunResult } from '../engine/executor.js';
import type { Plan } from '../plan/types.js';
import { annotation, fileAndLine, outputFileText, verbatim } from './github/commands.js';
import { renderStepSummary } from './github/summary.js';
import { ProgressModel } from './progress-model.js';
import { progressText } from './progress-text.js';
import { RunJournal, renderDiffs, renderRecap } from './recap.js';
import type { Reporter, ReporterOptions } from './reporter.js';

/** Output lines kept per task: enough for any useful log, bounded for a chatty one. */
const MAX_LINES = 5_000;
/**
 * A long task's progress is printed as it goes, but at most once per this
 * long per task: enough to see a 40-minute task is alive, not a line per unit.
 */
export const PROGRESS_EVERY_MS = 60_000;

/** The outputs the action exposes, by these exact names. */
export interface GithubOutputs {
  status: 'ok' | 'failed' | 'awaiting' | 'interrupted';
  'failed-tasks': string;
  'awaiting-tasks': string;
  'changed-files': string;
  'coverage-lines': string;
}

/** Create the GitHub Actions reporter. */
export function createGithubReporter(plan: Plan, options: ReporterOptions): Reporter {
  const { stream, style } = options;
  const env = options.env ?? {};
  const model = new ProgressModel(plan);
  const journal = new RunJournal(options.recap);
  // Parallel tasks interleave; each task's lines are kept and printed together when it ends.
  const logs = new Map<string, string[]>();
  let coverageLines: number | undefined;
  /** Per running task: when its last progress line was printed (its start at first). */
  const progressShown = new Map<string, number>();
  const write = (lines: string[]) => stream.write(`${lines.join('\n')}\n`);
  const log = (id: string, line: string) => {
    const lines = logs.get(id) ?? [];
    if (lines.length < MAX_LINES) lines.push(line);
    else if (lines.length === MAX_LINES) lines.push(`… further output of ${id} not kept`);
    logs.set(id, lines);
  };
  const checkpointFile = (phaseId: string, name: string) => {
    const spec = plan.phases.find((p) => p.id === phaseId)?.checkpoints.find((c) => c.name === name)?.spec;
    return spec?.coverage?.summary;
  };

  const lastProgress = new Map<string, EventOf<'task:progress'>>();
  const onEvent = (event: EngineEvent): void => {
    if (event.type === 'task:progress') lastProgress.set(event.taskId, event);
    if (event.type === 'task:start') lastProgress.delete(event.taskId);
    model.apply(event);
    journal.add(event);
    switch (event.type) {
      case 'run:start':
        write([`orchestrate ${event.dryRun ? 'dry run' : 'run'} ${event.runId}: ${event.tasks.length} task(s) in phase(s) ${event.phases.join(', ')}`]);
        break;
      case 'phase:start':
        write([`── Phase ${event.phaseId} ${model.phases.find((p) => p.id === event.phaseId)?.name ?? ''}`]);
        break;
      case 'phase:finish':
        write([`── Phase ${event.phaseId} ${event.status} (${formatDuration(event.durationMs)})`]);
        break;
      case 'task:start':
        progressShown.set(event.taskId, event.time);
        write([`▶ ${event.taskId} ${model.tasks.get(event.taskId)?.name ?? ''}`]);
        break;
      case 'task:progress': {
        const last = progressShown.get(event.taskId) ?? event.time;
        if (event.time - last < PROGRESS_EVERY_MS) break;
        progressShown.set(event.taskId, event.time);
        write([`… ${event.taskId} ${progressText(event)}`]);
        break;
      }
      case 'task:keep':
        log(event.taskId, `kept ${event.files.join(', ')}`);
        break;
      case 'task:attempt':
        if (event.attempt > 1) log(event.taskId, `attempt ${event.attempt}/${event.maxAttempts}`);
        break;
      case 'task:output':
        log(event.taskId, event.line);
        break;
      case 'task:retry': {
        log(event.taskId, `attempt ${event.attempt}/${event.maxAttempts} failed: ${event.error}`);
        write([annotation('warning', `attempt ${event.attempt}/${event.maxAttempts} failed, retrying in ${formatDuration(event.delayMs)}: ${event.error}`, { title: `${event.taskId} retried` })]);
        break;
      }
      case 'task:finish':
        finishTask(event);
        break;
      case 'task:skip':
        if (event.reason !== 'done-earlier') write([`- ${event.taskId} not run: ${event.detail}`]);
        break;
      case 'checkpoint:finish': {
        if (event.coverage?.lines !== undefined) coverageLines = event.coverage.lines;
        const id = `checkpoint:${event.phaseId}:${event.name}`;
        const lines = logs.get(id) ?? [];
        logs.delete(id);
        const head = `checkpoint ${event.name} of phase ${event.phaseId} ${event.passed ? 'passed' : 'failed'}: ${event.detail.split('\n')[0]}`;
        if (event.passed) write([`::group::✓ ${head}`, ...verbatim(lines), '::endgroup::']);
        else {
          write([`✗ ${head}`, ...verbatim([...lines, ...event.detail.split('\n').slice(1)])]);
          write([annotation('error', event.detail, { title: `checkpoint ${event.name} failed`, file: checkpointFile(event.phaseId, event.name) })]);
        }
        break;
      }
      default:
        break;
    }
  };

  const finishTask = (event: Extract<EngineEvent, { type: 'task:finish' }>) => {
    const lines = logs.get(event.taskId) ?? [];
    logs.delete(event.taskId);
    progressShown.delete(event.taskId);
    const name = model.tasks.get(event.taskId)?.name ?? '';
    const attempts = event.attempts > 1 ? `, ${event.attempts} attempts` : '';
    const head = `${event.taskId} ${name}: ${event.status}, ${event.summary} (${formatDuration(event.durationMs)}${attempts})`;
    if (event.status === 'failed' || event.status === 'cancelled') {
      // model.apply has already cleared the task's progress; the journal of events has not.
      const reached = lastProgress.get(event.taskId);
      const where = reached ? [`stopped at ${progressText(reached)}`] : [];
      // Outside any group: a collapsed group would hide what went wrong.
      write([`✗ ${head}`, ...verbatim([...lines, ...where])]);
      if (event.status === 'failed') {
        write([annotation('error', event.error ?? event.summary, { title: `task ${event.taskId} failed`, ...fileAndLine(event.errorFile) })]);
      }
      return;
    }
    if (event.status === 'awaiting') write([annotation('warning', `${event.summary}; when it is done: orchestrate approve ${event.taskId}`, { title: `task ${event.taskId} awaits a person` })]);
    const files = event.files.length ? [`files: ${event.files.join(', ')}`] : [];
    files.push(...(event.details ?? []));
    const symbol = event.status === 'awaiting' ? '…' : event.status === 'skipped' ? '-' : '✓';
    write([`::group::${symbol} ${head}`, ...verbatim([...lines, ...files]), '::endgroup::']);
  };

  return {
    onEvent,
    async finish(result: RunResult) {
      stream.write(renderRecap(plan, journal, result, style));
      if (journal.dryRun && result.changes.length) stream.write(`\n::group::Diffs\n${renderDiffs(result)}::endgroup::\n`);
      const outputs: GithubOutputs = {
        status: result.status === 'done' ? 'ok' : result.status,
        'failed-tasks': journal.failures.map((f) => f.taskId).join(','),
        'awaiting-tasks': journal.awaiting.map((a) => a.taskId).join(','),
        'changed-files': String(result.changes.length),
        'coverage-lines': coverageLines === undefined ? '' : String(coverageLines),
      };
      await appendTo(env.GITHUB_STEP_SUMMARY, renderStepSummary(plan, model, result), 'GITHUB_STEP_SUMMARY');
      await appendTo(env.GITHUB_OUTPUT, outputFileText({ ...outputs }), 'GITHUB_OUTPUT');
    },
  };

  async function appendTo(file: string | undefined, text: string, name: string): Promise<void> {
    if (!file) return;
    try {
      await appendFile(file, text);
    } catch (error) {
      write([annotation('warning', `could not write ${name} (${file}): ${error instanceof Error ? error.message : String(error)}`)]);
    }
  }
}
