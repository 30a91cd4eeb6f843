/**
 * Which lines of the live tree to show, within a budget of terminal rows. A
 * tree taller than the terminal makes Ink clear the screen on every frame
 * (flicker, garbage in the scrollback), so the layout is decided here, as data:
 * every selected phase gets one line; running phases, then recently finished
 * ones, are expanded while lines remain: first each with its active tasks
 * alone, then each as fully as fits (every task, or its active and
 * just-finished tasks under their groups with the rest counted).
 */
import { FINISHED, type ProgressModel, type CheckpointView, type GroupView, type PhaseView, type TaskView } from './progress-model.js';

export type Row =
  | { kind: 'phase'; phase: PhaseView; expanded: boolean }
  | { kind: 'group'; phase: PhaseView; group: GroupView }
  | { kind: 'task'; task: TaskView; group: GroupView }
  | { kind: 'output'; task: TaskView; group: GroupView }
  | { kind: 'checkpoint'; phase: PhaseView; checkpoint: CheckpointView }
  | { kind: 'more'; text: string };

/** How long a finished phase stays expanded, when lines allow. */
export const RECENT_MS = 4_000;

/** Rows of the tree for a terminal with `rows` lines left for it. */
export function layoutTree(model: ProgressModel, budget: number, now: number): Row[] {
  let phases = model.selectedPhases;
  let hidden = 0;
  if (phases.length > budget) {
    // More phases than lines: keep the ones that matter now, count the rest.
    const keep = Math.max(0, budget - 1);
    const ranked = [...phases].sort((a, b) => rank(a, now) - rank(b, now)).slice(0, keep);
    hidden = phases.length - ranked.length;
    phases = phases.filter((p) => ranked.includes(p));
  }
  let left = budget - phases.length - (hidden ? 1 : 0);
  const candidates = phases
    .filter((p) => p.state === 'running' || (p.finishedAt !== undefined && now - p.finishedAt < RECENT_MS && p.state !== 'skipped'))
    .sort((a, b) => rank(a, now) - rank(b, now));
  // First every candidate's active tasks alone, so that one phase's detail never
  // crowds out another's running tasks; then richer views, in rank order, while lines remain.
  const expansions = new Map<PhaseView, Row[]>();
  for (const phase of candidates) {
    const rows = activeTasks(phase, left);
    if (rows.length === 0) continue;
    expansions.set(phase, rows);
    left -= rows.length;
  }
  for (const phase of candidates) {
    const current = expansions.get(phase)?.length ?? 0;
    const richer = [full(phase), activeOnly(phase, now)].find((rows) => rows.length > 0 && rows.length >= current && rows.length <= left + current);
    if (!richer) continue;
    expansions.set(phase, richer);
    left -= richer.length - current;
  }
  const out: Row[] = [];
  for (const phase of phases) {
    const rows = expansions.get(phase);
    out.push({ kind: 'phase', phase, expanded: rows !== undefined });
    if (rows) out.push(...rows);
  }
  if (hidden) out.push({ kind: 'more', text: `… ${hidden} more phase(s)` });
  return out;
}

/** Running first, then most recently finished, then the rest in plan order. */
function rank(phase: PhaseView, now: number): number {
  if (phase.state === 'running') return 0;
  if (phase.finishedAt !== undefined) return 1 + Math.min(now - phase.finishedAt, 1e9) / 1e9;
  return 3;
}

const ACTIVE: ReadonlySet<TaskView['state']> = new Set(['running', 'retrying', 'awaiting', 'failed']);

/** The phase's running, retrying, awaited and failed tasks, at most `left` lines (the last counting the rest). */
function activeTasks(phase: PhaseView, left: number): Row[] {
  const order = ['running', 'retrying', 'awaiting', 'failed'];
  const rows: Row[] = phase.groups
    .flatMap((group) => group.tasks.filter((t) => ACTIVE.has(t.state)).map((task) => ({ kind: 'task' as const, task, group })))
    .sort((a, b) => order.indexOf(a.task.state) - order.indexOf(b.task.state));
  if (left < 1) return [];
  if (rows.length <= left) return rows;
  return [...rows.slice(0, left - 1), { kind: 'more', text: `… ${rows.length - left + 1} more active task(s)` }];
}

/** Every group and task, the output line of running tasks, the checkpoints. */
function full(phase: PhaseView): Row[] {
  const rows: Row[] = [];
  for (const group of phase.groups) {
    rows.push({ kind: 'group', phase, group });
    for (const task of group.tasks) {
      rows.push({ kind: 'task', task, group });
      if (task.state === 'running' && task.lastLine) rows.push({ kind: 'output', task, group });
    }
  }
  for (const checkpoint of phase.checkpoints) rows.push({ kind: 'checkpoint', phase, checkpoint });
  return rows;
}

/** Groups with something active: their active and just-finished tasks; the others counted in one line. */
function activeOnly(phase: PhaseView, now: number): Row[] {
  const rows: Row[] = [];
  for (const group of phase.groups) {
    const shown = group.tasks.filter((t) => ACTIVE.has(t.state) || (t.finishedAt !== undefined && now - t.finishedAt < RECENT_MS && FINISHED.has(t.state) && t.state !== 'earlier'));
    if (shown.length === 0) continue;
    rows.push({ kind: 'group', phase, group });
    for (const task of shown) rows.push({ kind: 'task', task, group });
    const rest = group.tasks.filter((t) => !shown.includes(t));
    if (rest.length) {
      const done = rest.filter((t) => FINISHED.has(t.state)).length;
      const pending = rest.length - done;
      rows.push({ kind: 'more', text: `… ${[done && `${done} finished`, pending && `${pending} pending`].filter(Boolean).join(', ')}` });
    }
  }
  for (const checkpoint of phase.checkpoints) if (checkpoint.state !== 'pending') rows.push({ kind: 'checkpoint', phase, checkpoint });
  return rows;
}
