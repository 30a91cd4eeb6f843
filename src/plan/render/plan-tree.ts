/**
 * The plan as a tree for people: phases by wave (what may run together),
 * groups with how they run, tasks with what each will do, and checkpoints.
 */
import { formatDuration } from '../../config/duration.js';
import type { CoverageFigures } from '../../config/schema.js';
import { formatCommand } from '../../engine/format-command.js';
import type { Plan, PlannedCheckpoint, PlannedPhase, PlannedTask } from '../types.js';
import { plainStyle, type Style } from './style.js';

/** Render the plan (or some of its phases) as an indented tree. */
export function planToTree(plan: Plan, phases: readonly PlannedPhase[] = plan.phases, style: Style = plainStyle): string {
  const groups = phases.flatMap((p) => p.groups);
  const tasks = groups.flatMap((g) => g.tasks);
  const out: string[] = [];
  out.push(
    `${style.bold(plan.project.name)}: ${count(phases.length, 'phase')}, ${count(groups.length, 'group')}, ${count(tasks.length, 'task')}` +
      style.dim(`  (${plan.source.file}, max ${plan.settings.maxParallel} at once${plan.settings.failFast ? ', fail fast' : ''})`),
  );
  const shown = new Set(phases.map((p) => p.id));
  plan.waves.forEach((ids, w) => {
    const inWave = ids.filter((id) => shown.has(id)).map((id) => phases.find((p) => p.id === id)!);
    if (inWave.length === 0) return;
    out.push('');
    const together = inWave.length > 1 ? style.dim(`  phases ${inWave.map((p) => p.id).join(', ')} may run at the same time`) : '';
    out.push(`${style.bold(`Wave ${w + 1}`)}${together}`);
    inWave.forEach((phase, i) => out.push(...renderPhase(phase, i === inWave.length - 1, style)));
  });
  return `${out.join('\n')}\n`;
}

function renderPhase(phase: PlannedPhase, last: boolean, style: Style): string[] {
  const lines: string[] = [];
  const branch = last ? '└─ ' : '├─ ';
  const indent = last ? '   ' : '│  ';
  const facts: string[] = [];
  facts.push(phase.dependsOn.length ? `after ${phase.dependsOn.join(', ')}` : 'no dependencies');
  if (phase.parallelWith.length) facts.push(`parallel with ${phase.parallelWith.join(', ')}`);
  const expected = coverageText(phase.expectedCoverage);
  if (expected) facts.push(`expects ${expected}`);
  lines.push(`${branch}${style.cyan(`Phase ${phase.id}`)} ${style.bold(phase.name)}  ${style.dim(`(${facts.join('; ')})`)}`);

  const children = phase.groups.length + (phase.checkpoints.length ? 1 : 0);
  phase.groups.forEach((group, g) => {
    const lastChild = g === children - 1;
    const mode =
      group.execution === 'parallel' ? style.magenta(`parallel ×${group.maxParallel}`) : style.yellow('sequential');
    const after = group.dependsOn.length ? style.dim(` after ${group.dependsOn.join(', ')}`) : '';
    const title = group.name === group.id ? `group ${group.id}` : `group ${group.id}: ${group.name}`;
    lines.push(`${indent}${lastChild ? '└─ ' : '├─ '}${title}  [${mode}]${after}`);
    const inner = `${indent}${lastChild ? '   ' : '│  '}`;
    group.tasks.forEach((task, t) => {
      const marker = group.execution === 'parallel' ? '◇' : '→';
      lines.push(`${inner}${t === group.tasks.length - 1 ? '└─ ' : '├─ '}${marker} ${renderTask(task, style)}`);
    });
  });
  if (phase.checkpoints.length) {
    lines.push(`${indent}└─ ${style.bold('checkpoints')}`);
    phase.checkpoints.forEach((c, i) => {
      lines.push(`${indent}   ${i === phase.checkpoints.length - 1 ? '└─ ' : '├─ '}✓ ${checkpointText(c)}`);
    });
  }
  return lines;
}

function renderTask(task: PlannedTask, style: Style): string {
  const s = task.settings;
  const extras: string[] = [];
  // A person is asked once and not timed.
  if (task.type !== 'manual') {
    if (s.retries > 0) extras.push(`retries ${s.retries}`);
    extras.push(`timeout ${formatDuration(s.timeoutMs)}`);
  }
  if (s.continueOnError) extras.push('continue on error');
  const title = task.name === task.description ? '' : `${task.name}: `;
  const description = task.description.length > 90 ? `${task.description.slice(0, 87)}...` : task.description;
  return `${style.bold(task.id)} ${style.cyan(task.type)}  ${title}${description}${extras.length ? `  ${style.dim(`(${extras.join(', ')})`)}` : ''}`;
}

function checkpointText(c: PlannedCheckpoint): string {
  if (c.kind === 'run') return `${c.name}: run ${formatCommand(c.spec.run ?? '')}`;
  const cov = c.spec.coverage!;
  return `${c.name}: ${coverageText(cov.min) ?? 'coverage'} in ${cov.summary}`;
}

/** `lines ≥ 60%, branches ≥ 50%`, or undefined when nothing is set. */
export function coverageText(figures: CoverageFigures | undefined): string | undefined {
  if (!figures) return undefined;
  const parts = (['lines', 'statements', 'functions', 'branches'] as const)
    .filter((k) => figures[k] !== undefined)
    .map((k) => `${k} ≥ ${figures[k]}%`);
  return parts.length ? parts.join(', ') : undefined;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
