/**
 * `orchestrate status`: where the rollout stands (the API's `status`), shown
 * per phase, group and task with coverage expected against measured.
 * `--verify` dry-runs the done tasks against today's files and lists drift.
 */
import { status, type Drift, type ShownStatus, type StatusReport } from '../../api/status.js';
import { formatDuration } from '../../config/duration.js';
import { coverageText } from '../../plan/render/plan-tree.js';
import { progressText } from '../../ui/progress-text.js';
import { loadPlanUnderSettings, trustHint } from '../../settings/prepare.js';
import { enforceRefusals } from '../../trust/enforce.js';
import type { CliContext } from '../context.js';
import type { CliIo } from '../io.js';
import type { GlobalOptions } from '../main.js';

interface StatusArgs extends GlobalOptions {
  json: boolean;
  verify: boolean;
}

/** Print the status. */
export async function statusCommand(args: StatusArgs, io: CliIo, context: CliContext): Promise<number> {
  const loaded = await loadPlanUnderSettings(args, io, context);
  const { settings, refusals } = loaded;
  const report = await status(context, {
    loaded,
    verify: args.verify,
    wrapHandlers: (handlerFor, plan) => enforceRefusals(plan, refusals, handlerFor, trustHint(settings)),
    onNotice: (notice) => io.stderr.write(`${io.err.yellow(`${notice.level}:`)} ${notice.message}\n`),
  });
  if (args.json) {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  io.stdout.write(renderReport(report, io, args.verbose));
  return 0;
}

type Report = StatusReport;

const MARK: Record<ShownStatus, string> = {
  pending: '·',
  running: '▸',
  done: '✓',
  failed: '✗',
  skipped: '-',
  awaiting: '…',
  cancelled: '■',
  outdated: '↻',
};

function renderReport(report: Report, io: CliIo, verbose: boolean): string {
  const s = io.out;
  const colour = (status: ShownStatus, text: string) =>
    status === 'done' ? s.green(text) : status === 'failed' ? s.red(text) : status === 'awaiting' || status === 'outdated' || status === 'cancelled' ? s.yellow(text) : status === 'running' ? s.cyan(text) : s.dim(text);
  const out: string[] = [];
  out.push(`${s.bold(report.project)}  ${s.dim(`${report.plan_file} -> ${report.root}`)}`);
  if (report.last_run) {
    out.push(`Last run ${report.last_run.id}: ${report.last_run.status}${report.last_run.finished_at ? ` at ${report.last_run.finished_at}` : ''} ${s.dim(`(${report.runs} run${report.runs === 1 ? '' : 's'})`)}`);
  } else out.push(s.dim('No run yet.'));
  if (report.plan_changed) out.push(s.yellow('The plan changed since the last run: tasks marked ↻ will run again.'));
  for (const phase of report.phases) {
    out.push('');
    const expected = coverageText(phase.expected_coverage ?? undefined);
    const measured = phase.measured_coverage
      ? (['lines', 'statements', 'functions', 'branches'] as const).filter((k) => phase.measured_coverage?.[k] !== undefined).map((k) => `${k} ${phase.measured_coverage![k]}%`).join(', ')
      : undefined;
    const coverage = expected || measured ? s.dim(`  coverage: ${measured ?? 'not measured'}${expected ? ` (expected ${expected})` : ''}`) : '';
    // Done once, but what it builds on is not done any more: it is not finished business.
    const waiting = phase.waiting_on.length ? s.yellow(`  (phase ${phase.waiting_on.join(', ')} it depends on is not done now)`) : '';
    out.push(`${colour(phase.status, MARK[phase.status])} ${s.bold(`Phase ${phase.id} ${phase.name}`)}  ${colour(phase.status, phase.status)} ${phase.done}/${phase.total}${coverage}${waiting}`);
    for (const cp of phase.checkpoints) out.push(`    ${cp.passed ? s.green('✓') : s.red('✗')} checkpoint ${cp.name}: ${cp.detail.split('\n')[0]}`);
    // A phase nothing has touched yet is one line, not its whole task list (--verbose lists it).
    if (!verbose && phase.groups.every((g) => g.tasks.every((t) => t.status === 'pending'))) {
      out.push(s.dim(`  ${phase.total} task${phase.total === 1 ? '' : 's'} pending in ${phase.groups.length} group${phase.groups.length === 1 ? '' : 's'}`));
      continue;
    }
    for (const group of phase.groups) {
      const done = group.tasks.filter((t) => t.status === 'done' || t.status === 'skipped').length;
      out.push(`  group ${group.id}${group.name !== group.id ? ` ${group.name}` : ''} ${s.dim(`[${group.execution}] ${done}/${group.tasks.length}`)}`);
      // Tasks nothing has touched are one line in a started phase too (--verbose lists them).
      const pending = group.tasks.filter((t) => t.status === 'pending');
      const folded = !verbose && pending.length > PENDING_LISTED;
      for (const task of group.tasks) {
        if (folded && task.status === 'pending') {
          if (task === pending[0]) out.push(`    ${colour('pending', MARK.pending)} ${s.dim(`${pending.length} tasks pending: ${idRange(pending.map((t) => t.id))}`)}`);
          continue;
        }
        const facts = [
          task.attempts > 1 ? `${task.attempts} attempts` : undefined,
          // A running task's record has no duration yet.
          task.duration_ms !== null && task.status !== 'running' ? formatDuration(task.duration_ms) : undefined,
          task.finished_at ?? undefined,
        ].filter(Boolean);
        // How far a running task, or one a run stopped, has got.
        const reached = task.progress && task.status !== 'done' ? progressText(task.progress) : '';
        const said = task.status === 'failed' ? s.red(task.error?.split('\n')[0] ?? '') : task.decision ? `${task.decision.decision} by ${task.decision.by}` : (task.summary ?? '');
        const detail = [reached, said].filter((part) => part !== '').join('  ');
        const drift = task.drift && task.drift.state !== 'intact' ? s.yellow(` [${task.drift.state}: ${task.drift.detail}]`) : '';
        out.push(`    ${colour(task.status, MARK[task.status])} ${task.id} ${task.name}  ${colour(task.status, task.status)}${detail ? `  ${detail}` : ''}${facts.length ? s.dim(`  (${facts.join(', ')})`) : ''}${drift}`);
        if (verbose) for (const line of task.details) out.push(`        ${s.dim(line)}`);
      }
    }
  }
  if (report.drift) out.push('', ...verifySummary(report.drift, s));
  return `${out.join('\n')}\n`;
}

/** A group lists this many pending tasks one by one; more are folded into one line. */
const PENDING_LISTED = 3;

/** `2.4, 2.5, 2.6, … 2.9` for a long list of task ids: the first three and the last. */
function idRange(ids: readonly string[]): string {
  return ids.length <= 4 ? ids.join(', ') : `${ids.slice(0, 3).join(', ')}, … ${ids.at(-1)}`;
}

/** What `--verify` found, counted exactly: checked, in place, drifted, and what could not be checked and why. */
function verifySummary(drift: readonly Drift[], s: CliIo['out']): string[] {
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const intact = drift.filter((d) => d.state === 'intact');
  const drifted = drift.filter((d) => d.state === 'drifted');
  const unverifiable = drift.filter((d) => d.state === 'unverifiable');
  const checked = intact.length + drifted.length;
  const lines = [`Verified ${checked} of ${count(drift.length, 'done task')}: ${intact.length} in place, ${drifted.length} drifted; ${unverifiable.length} could not be checked.`];
  if (drifted.length) lines.push(s.yellow(`Drift: ${count(drifted.length, 'done task')} whose changes are no longer in the working tree: ${drifted.map((d) => d.taskId).join(', ')}`));
  else if (checked > 0) lines.push(s.green(`No drift in the ${count(checked, 'task')} checked.`));
  // Grouped by reason, so that forty command tasks take one line.
  const reasons = new Map<string, string[]>();
  for (const d of unverifiable) reasons.set(d.detail, [...(reasons.get(d.detail) ?? []), d.taskId]);
  for (const [reason, ids] of reasons) lines.push(s.dim(`  not checked: ${ids.join(', ')} (${reason})`));
  return lines;
}

