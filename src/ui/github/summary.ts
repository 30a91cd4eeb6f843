/**
 * The Markdown a run appends to `$GITHUB_STEP_SUMMARY`: the outcome, a table
 * per phase (task, type, outcome, attempts, duration, files changed), the
 * checkpoints with coverage measured against expected, the manual steps still
 * to do as a checklist, and the plan as a Mermaid flowchart coloured by
 * outcome.
 */
import { formatDuration } from '../../config/format-duration.js';
import type { RunResult } from '../../engine/executor.js';
import { planToMermaid, type NodeClass } from '../../plan/render/plan-mermaid.js';
import type { Plan } from '../../plan/types.js';
import type { ProgressModel, TaskState, TaskView } from '../progress-model.js';
import { coverageText } from '../tree-text.js';

const OUTCOME: Record<TaskState, string> = {
  pending: '○ not run',
  running: '◌ running',
  retrying: '◌ retrying',
  done: '✅ changed',
  unchanged: '✅ unchanged',
  failed: '❌ failed',
  skipped: '⏭️ skipped',
  awaiting: '⏸️ awaiting a person',
  cancelled: '⏹️ cancelled',
  blocked: '⛔ blocked',
  earlier: '✔️ done earlier',
};

const NODE_CLASS: Record<TaskState, NodeClass> = {
  pending: 'pending',
  running: 'running',
  retrying: 'running',
  done: 'done',
  unchanged: 'done',
  earlier: 'done',
  failed: 'failed',
  skipped: 'skipped',
  blocked: 'skipped',
  cancelled: 'skipped',
  awaiting: 'awaiting',
};

const HEADLINE: Record<RunResult['status'], string> = {
  done: '✅ done',
  failed: '❌ failed',
  awaiting: '⏸️ waiting for a person',
  interrupted: '⚠️ interrupted',
};

/** A table cell: pipes escaped, one line. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ').trim();
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** The summary Markdown of one run. */
export function renderStepSummary(plan: Plan, model: ProgressModel, result: RunResult): string {
  const out: string[] = [];
  const c = result.counts;
  out.push(`## orchestrate ${cell(plan.project.name)}: ${HEADLINE[result.status]}${model.dryRun ? ' (dry run)' : ''}`, '');
  out.push(
    `${c.total} task(s) in ${formatDuration(result.durationMs)}: ${c.changed} changed, ${c.unchanged} unchanged, ${c.skipped} skipped, ${c.doneEarlier} done earlier, ${c.awaiting} awaiting, ${c.failed} failed, ${c.blocked} blocked, ${c.cancelled} cancelled; ${result.changes.length} file(s) changed.`,
    '',
  );
  for (const phase of model.selectedPhases) {
    const time = phase.durationMs === undefined ? '' : ` (${formatDuration(phase.durationMs)})`;
    out.push(`### Phase ${cell(phase.id)}: ${cell(phase.name)} — ${phase.state}${time}`, '');
    out.push('| Task | Type | Outcome | Attempts | Duration | Files changed |', '| --- | --- | --- | --- | --- | --- |');
    for (const task of phase.groups.flatMap((g) => g.tasks)) out.push(taskRow(task));
    out.push('');
    const checkpoints = phase.checkpoints.filter((cp) => cp.state === 'passed' || cp.state === 'failed');
    if (checkpoints.length) {
      out.push('| Checkpoint | Result | Coverage measured (min expected) | Detail |', '| --- | --- | --- | --- |');
      for (const cp of checkpoints) {
        const result = cp.state === 'passed' ? '✅ passed' : '❌ failed';
        out.push(`| ${cell(cp.name)} | ${result} | ${cell(coverageText(cp.coverage, cp.expected) || '—')} | ${cell(cp.detail?.split('\n')[0] ?? '')} |`);
      }
      out.push('');
    }
  }
  const awaiting = [...model.tasks.values()].filter((t) => t.state === 'awaiting');
  if (awaiting.length) {
    out.push('### Manual steps to do', '');
    for (const task of awaiting) {
      out.push(`- [ ] **${cell(task.id)}** ${cell(task.name)}: when done, \`orchestrate approve ${task.id}\` (or \`orchestrate skip ${task.id}\`)`);
    }
    out.push('');
  }
  const classes = new Map<string, NodeClass>();
  for (const phase of model.selectedPhases) for (const task of phase.groups.flatMap((g) => g.tasks)) classes.set(task.id, NODE_CLASS[task.state]);
  const shown = plan.phases.filter((p) => model.selectedPhases.some((s) => s.id === p.id));
  out.push('### Plan', '', '```mermaid', planToMermaid(plan, shown, { classes }).trimEnd(), '```', '');
  return `${out.join('\n')}\n`;
}

function taskRow(task: TaskView): string {
  const files = task.files.length ? task.files.slice(0, 10).map(code).join(', ') + (task.files.length > 10 ? ` and ${task.files.length - 10} more` : '') : '—';
  const attempts = task.attempt > 0 ? String(task.attempt) : '—';
  const duration = task.durationMs === undefined ? '—' : formatDuration(task.durationMs);
  let outcome = OUTCOME[task.state];
  if (task.state === 'failed' && task.error) outcome += `: ${clip(task.error.split('\n')[0]!, 160)}`;
  return `| ${cell(`${task.id} ${task.name}`)} | ${cell(task.type)} | ${cell(outcome)} | ${attempts} | ${duration} | ${cell(files)} |`;
}
