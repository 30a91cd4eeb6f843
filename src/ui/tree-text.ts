/**
 * The text of each line of the live tree: status symbols and words, elapsed
 * times, attempts and retry waits, counts, checkpoint coverage against the
 * expected. Colour comes from the CLI's Style, so NO_COLOR and --no-color
 * hold here as everywhere else.
 */
import { formatDuration } from '../config/format-duration.js';
import type { CoverageMeasured } from '../engine/events.js';
import type { Style } from '../plan/render/style.js';
import { ProgressModel, type CheckpointView, type Counts, type PhaseView, type TaskState, type TaskView } from './progress-model.js';
import { oneLine } from './one-line.js';
import { progressCounts } from './progress-text.js';
import type { Row } from './tree-layout.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** The spinner frame at a moment: the same frame for every line of one render. */
export function spinnerAt(now: number): string {
  return SPINNER[Math.floor(now / 100) % SPINNER.length]!;
}

const TASK_LOOK: Record<Exclude<TaskState, 'running'>, { symbol: string; word: string; colour: keyof Style }> = {
  pending: { symbol: '○', word: 'pending', colour: 'dim' },
  retrying: { symbol: '↻', word: 'retrying', colour: 'yellow' },
  done: { symbol: '✓', word: 'changed', colour: 'green' },
  unchanged: { symbol: '=', word: 'unchanged', colour: 'green' },
  failed: { symbol: '✗', word: 'failed', colour: 'red' },
  skipped: { symbol: '-', word: 'skipped', colour: 'dim' },
  awaiting: { symbol: '…', word: 'awaiting', colour: 'yellow' },
  cancelled: { symbol: '■', word: 'cancelled', colour: 'yellow' },
  blocked: { symbol: '⊘', word: 'blocked', colour: 'dim' },
  earlier: { symbol: '✓', word: 'earlier', colour: 'dim' },
};

/** Symbol and word of a task's state. */
export function taskLook(state: TaskState, now: number, style: Style): { symbol: string; word: string } {
  if (state === 'running') return { symbol: style.cyan(spinnerAt(now)), word: style.cyan('running'.padEnd(9)) };
  const look = TASK_LOOK[state];
  const paint = style[look.colour];
  return { symbol: paint(look.symbol), word: paint(look.word.padEnd(9)) };
}

const PHASE_LOOK: Record<Exclude<PhaseView['state'], 'running'>, { symbol: string; colour: keyof Style }> = {
  pending: { symbol: '○', colour: 'dim' },
  done: { symbol: '✓', colour: 'green' },
  failed: { symbol: '✗', colour: 'red' },
  skipped: { symbol: '-', colour: 'dim' },
  cancelled: { symbol: '■', colour: 'yellow' },
  awaiting: { symbol: '…', colour: 'yellow' },
};

/** The first line: overall progress and time. */
export function headerText(model: ProgressModel, title: string, now: number, columns: number, style: Style): string {
  const c = model.overall();
  const width = Math.max(10, Math.min(30, columns - title.length - 50));
  const filled = c.total ? Math.round((c.finished / c.total) * width) : 0;
  const bar = `${style.green('█'.repeat(filled))}${style.dim('░'.repeat(width - filled))}`;
  const elapsed = model.startedAt === undefined ? '' : ` · ${formatDuration((model.finishedAt ?? now) - model.startedAt)}`;
  return `${style.bold(title)} ${bar} ${c.done}/${c.total} tasks done${troubles(c, style)}${elapsed}${model.dryRun ? style.yellow(' · dry run') : ''}`;
}

/** One row's text. */
export function rowText(row: Row, now: number, style: Style): string {
  switch (row.kind) {
    case 'phase':
      return phaseText(row.phase, row.expanded, now, style);
    case 'group': {
      const { group } = row;
      const running = group.tasks.filter((t) => t.state === 'running' || t.state === 'retrying').length;
      const finished = group.tasks.filter((t) => t.state !== 'pending' && t.state !== 'running' && t.state !== 'retrying').length;
      const mode = group.execution === 'parallel' ? style.magenta(`⇉ parallel${running ? `, ${running} running` : ''}`) : style.cyan('→ sequential');
      return `   ${group.execution === 'parallel' ? '╞' : '├'} ${oneLine(group.name)} ${style.dim('·')} ${mode} ${style.dim(`${finished}/${group.tasks.length}`)}`;
    }
    case 'task':
      return `   ${row.group.execution === 'parallel' ? '║' : '│'}  ${taskText(row.task, now, style)}`;
    case 'output':
      return `   ${row.group.execution === 'parallel' ? '║' : '│'}     ${style.dim(`› ${oneLine(row.task.lastLine ?? '').trim()}`)}`;
    case 'checkpoint': {
      const notRun = row.checkpoint.state === 'pending' && row.phase.state !== 'running' && row.phase.state !== 'pending';
      return `   ◆ ${notRun ? `checkpoint ${row.checkpoint.name} ${style.dim('not run')}` : checkpointText(row.checkpoint, style)}`;
    }
    case 'more':
      return `   ${style.dim(row.text)}`;
  }
}

function phaseText(phase: PhaseView, expanded: boolean, now: number, style: Style): string {
  const c = ProgressModel.phaseCounts(phase);
  const symbol = phase.state === 'running' ? style.cyan(spinnerAt(now)) : style[PHASE_LOOK[phase.state].colour](PHASE_LOOK[phase.state].symbol);
  const time =
    phase.state === 'running' && phase.startedAt !== undefined
      ? formatDuration(now - phase.startedAt)
      : phase.durationMs !== undefined && phase.state !== 'skipped'
        ? formatDuration(phase.durationMs)
        : '';
  const state = phase.state === 'running' ? style.cyan('running') : style[PHASE_LOOK[phase.state].colour](phase.state);
  const checks = phase.checkpoints.filter((cp) => cp.state === 'passed' || cp.state === 'failed');
  const cps = !expanded && checks.length ? ` · checkpoints ${checks.filter((cp) => cp.state === 'passed').length}/${phase.checkpoints.length}` : '';
  return `${expanded ? '▾' : '▸'} ${symbol} ${style.bold(`Phase ${phase.id}`)} ${oneLine(phase.name)}  ${state} ${c.done}/${c.total}${troubles(c, style)}${cps}${time ? style.dim(` · ${time}`) : ''}`;
}

/** ` · 1 failed · 9 blocked`, or nothing. */
function troubles(c: Counts, style: Style): string {
  return `${c.failed ? style.red(` · ${c.failed} failed`) : ''}${c.blocked ? style.dim(` · ${c.blocked} blocked`) : ''}`;
}

/** A task line: symbol, id, state, what is happening, name. */
export function taskText(task: TaskView, now: number, style: Style): string {
  const { symbol, word } = taskLook(task.state, now, style);
  let detail: string;
  if (task.state === 'running') {
    // A task that has just started has no time worth showing yet ("0ms" reads as a finished task).
    const elapsed = task.startedAt === undefined || now - task.startedAt < 1000 ? '' : formatDuration(now - task.startedAt);
    const counts = task.progress ? `${progressCounts(task.progress)} · ` : '';
    const timing = task.attempt > 1 ? `${style.yellow(`attempt ${task.attempt}/${task.maxAttempts}`)} · ${elapsed}` : elapsed;
    detail = `${counts}${timing}`.replace(/ · $/, '');
  } else if (task.state === 'retrying') {
    const wait = task.retryAt === undefined ? '' : `, next in ${formatDuration(Math.max(0, task.retryAt - now))}`;
    detail = style.yellow(`attempt ${task.attempt}/${task.maxAttempts} failed${wait}`);
  } else if (task.state === 'pending') {
    detail = '';
  } else {
    const attempts = task.attempt > 1 ? `, attempt ${task.attempt}/${task.maxAttempts}` : '';
    const time = task.durationMs !== undefined ? style.dim(` (${formatDuration(task.durationMs)}${attempts})`) : '';
    const first = oneLine((task.state === 'failed' ? (task.error ?? task.summary) : task.summary) ?? '');
    detail = `${first}${time}`;
  }
  return `${symbol} ${task.id.padEnd(6)} ${word} ${detail}${detail ? ' ' : ''}${style.dim(`· ${oneLine(task.name)}`)}`;
}

/** A checkpoint: result, and measured coverage next to the expected. */
export function checkpointText(cp: CheckpointView, style: Style): string {
  const state = { pending: style.dim('pending'), running: style.cyan('running'), passed: style.green('passed'), failed: style.red('failed') }[cp.state];
  const cov = coverageText(cp.coverage, cp.expected);
  const detail =
    cp.state === 'failed' && !cov ? ` ${oneLine(cp.detail ?? '')}` : cp.state === 'running' && cp.lastLine ? style.dim(` › ${oneLine(cp.lastLine).trim()}`) : '';
  return `checkpoint ${cp.name} ${state}${cov ? ` ${cov}` : ''}${detail}`;
}

/** `lines 82.1% (min 80%)` for each figure measured or expected. */
export function coverageText(measured: CoverageMeasured | undefined, expected: CoverageMeasured | undefined): string {
  const keys = ['lines', 'statements', 'functions', 'branches'] as const;
  const parts: string[] = [];
  for (const key of keys) {
    const m = measured?.[key];
    const e = expected?.[key];
    if (m === undefined && e === undefined) continue;
    parts.push(`${key} ${m === undefined ? '?' : `${m}%`}${e === undefined ? '' : ` (min ${e}%)`}`);
  }
  return parts.join(', ');
}
