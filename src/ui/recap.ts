/**
 * The recap printed when a run ends, the same for every text reporter: per
 * phase outcome and duration, each failure with its message and file, the
 * files changed (diffstat), and what to do next.
 */
import { formatDuration } from '../config/format-duration.js';
import type { Style } from '../plan/render/style.js';
import type { Plan } from '../plan/types.js';
import type { EngineEvent, EventOf } from '../engine/events.js';
import type { RunResult } from '../engine/executor.js';
import { diffstat, unifiedDiff } from '../workspace/diff.js';

/** What the recap's "Next:" lines need from outside the run, so that each is a command to type as it is. */
export interface RecapContext {
  /** The options the command was given that every suggestion must keep (`--config`, `--cwd`), ready to append. */
  keep: string;
  /** Whether a phase is done according to the state, once the run has ended. */
  isPhaseDone: (phaseId: string) => boolean;
}

/** Collects what the recap needs while the run goes. */
export class RunJournal {
  constructor(readonly context: RecapContext = { keep: '', isPhaseDone: () => false }) {}

  readonly phases = new Map<string, EventOf<'phase:finish'>>();
  readonly failures: EventOf<'task:finish'>[] = [];
  readonly awaiting: EventOf<'task:finish'>[] = [];
  readonly checkpoints: EventOf<'checkpoint:finish'>[] = [];
  readonly blocked: EventOf<'task:skip'>[] = [];
  /** Finished tasks that reported detail lines, in the order they finished. */
  readonly detailed: EventOf<'task:finish'>[] = [];
  dryRun = false;
  /** Set when the run is one job of a sharded run. */
  shard: { index: number; count: number } | undefined;

  /** Feed one event. */
  add(event: EngineEvent): void {
    if (event.type === 'run:start') {
      this.dryRun = event.dryRun;
      this.shard = event.shard;
    }
    else if (event.type === 'phase:finish') this.phases.set(event.phaseId, event);
    else if (event.type === 'checkpoint:finish') this.checkpoints.push(event);
    else if (event.type === 'task:skip' && event.reason === 'dependency-failed') this.blocked.push(event);
    else if (event.type === 'task:finish') {
      if (event.status === 'failed') this.failures.push(event);
      if (event.status === 'awaiting') this.awaiting.push(event);
      if (event.details?.length) this.detailed.push(event);
    }
  }
}

/** The recap text; with `details`, each task's detail lines too (`--verbose` where nothing printed them yet). */
export function renderRecap(plan: Plan, journal: RunJournal, result: RunResult, style: Style, options: { details?: boolean } = {}): string {
  const out: string[] = [''];
  const headline = {
    done: style.green(journal.dryRun ? 'Dry run complete: nothing was written.' : 'Run complete.'),
    failed: style.red('Run failed.'),
    awaiting: style.yellow('Run stopped: manual steps await a person.'),
    interrupted: style.yellow('Run interrupted.'),
  }[result.status];
  out.push(`${style.bold(headline)} ${style.dim(`(${formatDuration(result.durationMs)})`)}`);
  const c = result.counts;
  const parts = [
    c.changed && `${c.changed} changed`,
    c.unchanged && `${c.unchanged} unchanged`,
    c.skipped && `${c.skipped} skipped`,
    c.doneEarlier && `${c.doneEarlier} done earlier`,
    c.awaiting && `${c.awaiting} awaiting`,
    c.failed && `${c.failed} failed`,
    c.blocked && `${c.blocked} blocked`,
    c.cancelled && `${c.cancelled} cancelled`,
  ].filter(Boolean);
  out.push(`Tasks: ${parts.join(', ') || 'none'} (of ${c.total})`);

  for (const phase of plan.phases) {
    const finished = journal.phases.get(phase.id);
    if (!finished) continue;
    const mark = { done: style.green('✓'), failed: style.red('✗'), skipped: style.dim('-'), cancelled: style.yellow('■'), awaiting: style.yellow('…') }[finished.status];
    // A phase skipped because of an earlier failure ran nothing: its tasks blocked say more than its 0 ms.
    const blocked = journal.blocked.filter((b) => phase.groups.some((g) => g.tasks.some((t) => t.id === b.taskId))).length;
    const how = finished.status === 'skipped' ? (blocked ? `, ${blocked} task(s) blocked` : '') : ` ${style.dim(`(${formatDuration(finished.durationMs)})`)}`;
    // The selected tasks are done, not the phase: its other tasks and its checkpoints are still to come.
    const said = finished.incomplete ? 'selected tasks done; the phase is not complete' : finished.status;
    out.push(`  ${mark} Phase ${phase.id} ${phase.name}: ${said}${how}`);
    for (const cp of journal.checkpoints.filter((x) => x.phaseId === phase.id)) {
      out.push(`      ${cp.passed ? style.green('✓') : style.red('✗')} checkpoint ${cp.name}: ${cp.detail.split('\n')[0]}`);
    }
  }
  if (options.details && journal.detailed.length) {
    out.push('', style.bold('Details:'));
    for (const task of journal.detailed) {
      out.push(`  ${task.taskId}: ${task.summary}`);
      for (const line of task.details ?? []) out.push(`      ${style.dim(line)}`);
    }
  }
  if (journal.failures.length) {
    out.push('', style.bold('Failures:'));
    for (const f of journal.failures) {
      out.push(`  ${style.red('✗')} ${f.taskId}${f.errorFile ? ` (${f.errorFile})` : ''}: ${f.error?.split('\n')[0] ?? f.summary}`);
      const rest = f.error?.split('\n').slice(1).filter((l) => l.trim()) ?? [];
      for (const line of rest.slice(-8)) out.push(`      ${style.dim(line)}`);
    }
  }
  for (const cp of journal.checkpoints.filter((x) => !x.passed)) {
    out.push(`  ${style.red('✗')} checkpoint ${cp.name} of phase ${cp.phaseId}: ${cp.detail.split('\n')[0]}`);
  }
  if (journal.blocked.length) out.push(style.dim(`  ${journal.blocked.length} task(s) not started because something they depend on did not finish`));
  if (result.changes.length) {
    out.push('', style.bold(journal.dryRun ? 'Changes that would be made:' : 'Files changed:'));
    out.push(diffstat(result.changes).text.trimEnd().replace(/^/gm, '  '));
  }
  const next = nextSteps(plan, journal, result);
  if (next.length) {
    out.push('', style.bold('Next:'));
    for (const line of next) out.push(`  ${line}`);
  }
  return `${out.join('\n')}\n`;
}

/** Every diff of a dry run, for printing after the recap. */
export function renderDiffs(result: RunResult): string {
  return result.changes.map((change) => unifiedDiff(change)).join('');
}

function nextSteps(plan: Plan, journal: RunJournal, result: RunResult): string[] {
  const { keep, isPhaseDone } = journal.context;
  // A shard's suggestions stay in the shard; what comes after its run is merge-results, which the CLI says.
  const shard = journal.shard ? ` --shard ${journal.shard.index}/${journal.shard.count}` : '';
  const command = (rest: string) => `orchestrate ${rest}${rest.startsWith('run ') ? shard : ''}${keep}`;
  const steps: string[] = [];
  for (const a of journal.awaiting) steps.push(`${command(`approve ${a.taskId}`)}   (or: ${command(`skip ${a.taskId}`)})`);
  if (result.status === 'failed' && journal.failures[0]) steps.push(`fix the failure, then: ${command(`run --task ${journal.failures[0].taskId}`)}`);
  const failedCheck = journal.checkpoints.find((c) => !c.passed);
  // The phase's finished tasks are not redone; its checkpoints run again.
  if (result.status === 'failed' && !journal.failures[0] && failedCheck) {
    steps.push(`fix what checkpoint ${failedCheck.name} reports, then: ${command(`run --phase ${failedCheck.phaseId}`)}`);
  }
  if (result.status === 'interrupted') steps.push(`run again with the same selection; finished tasks are not redone: ${command(`run ${selectionArgs(journal)}`)}`);
  if (journal.dryRun && result.status === 'done') {
    const phases = [...journal.phases.keys()];
    steps.push(`apply it: ${command(`run ${phases.length === plan.phases.length ? '--all' : phases.map((p) => `--phase ${p}`).join(' ')}`)}`);
  }
  if (!journal.dryRun && result.status === 'done' && !journal.shard) {
    const done = (id: string) => journal.phases.get(id)?.status === 'done' && !journal.phases.get(id)?.incomplete ? true : isPhaseDone(id);
    // Suggest a phase that is not done and whose dependencies are: never one already done.
    const nextPhase = plan.phases.find((p) => !done(p.id) && p.dependsOn.every(done));
    if (nextPhase) steps.push(`${command(`run --phase ${nextPhase.id}`)}   (${nextPhase.name})`);
    steps.push(command('status'));
  }
  return steps;
}

/** The phases this run covered, as `run` options. */
function selectionArgs(journal: RunJournal): string {
  const phases = [...journal.phases.keys()];
  return phases.length ? phases.map((p) => `--phase ${p}`).join(' ') : '--all';
}
