/**
 * What a phase's commit message and pull request say: its tasks with their
 * outcomes (from the state snapshot), the diffstat against the base, the
 * checkpoint results with coverage expected against measured, and the manual
 * steps still awaiting a person. Rendered with the Handlebars templates in
 * templates/github/ (strict: a template naming a value not built here fails).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BugError } from '../errors.js';
import type { Plan, PlannedPhase } from '../plan/types.js';
import type { Snapshot } from '../state/snapshot.js';
import { renderTemplate } from '../templates/render.js';

export interface ReportTask {
  id: string;
  name: string;
  type: string;
  outcome: string;
  summary: string;
}

export interface DiffstatRow {
  path: string;
  added: number | string;
  deleted: number | string;
}

/** The variables the templates in templates/github/ see. */
export interface PhaseReport {
  project_name: string;
  plan_file: string;
  phase: { id: string; name: string; description: string };
  group: { id: string; name: string } | false;
  tasks: ReportTask[];
  task_count: number;
  branch: string;
  base: string;
  diffstat: DiffstatRow[];
  diffstat_total: { files: number; added: number; deleted: number };
  checkpoints: Array<{ name: string; passed: boolean; detail: string }>;
  coverage: Array<{ metric: string; expected: string; measured: string }>;
  awaiting: Array<{ id: string; name: string }>;
}

export interface ReportInput {
  plan: Plan;
  phase: PlannedPhase;
  groupId?: string | undefined;
  snapshot: Snapshot;
  branch: string;
  base: string;
  diffstat?: Array<{ added: number | undefined; deleted: number | undefined; path: string }>;
}

const METRICS = ['lines', 'statements', 'functions', 'branches'] as const;

/** Gather the report of one phase (or one group of it). */
export function phaseReport(input: ReportInput): PhaseReport {
  const { plan, phase, snapshot } = input;
  const group = input.groupId === undefined ? undefined : phase.groups.find((candidate) => candidate.id === input.groupId);
  if (input.groupId !== undefined && !group) throw new BugError(`phase ${phase.id} has no group ${input.groupId}`);
  const tasks = (group ? [group] : phase.groups).flatMap((g) => g.tasks);
  const reportTasks = tasks.map((task): ReportTask => {
    const record = snapshot.tasks[task.id];
    const decision = snapshot.decisions[task.id];
    const outcome = decision ? (decision.decision === 'approved' ? 'approved' : 'skipped by a person') : record ? (record.outcome ?? record.status) : 'not run';
    return { id: task.id, name: cell(task.name), type: task.type, outcome, summary: cell(record?.summary ?? '') };
  });
  const diffstat = (input.diffstat ?? []).map((row) => ({ path: row.path, added: row.added ?? 'binary', deleted: row.deleted ?? 'binary' }));
  const checkpoints = (snapshot.checkpoints[phase.id] ?? []).map((c) => ({ name: cell(c.name), passed: c.passed, detail: cell(c.detail) }));
  const measured = [...(snapshot.checkpoints[phase.id] ?? [])].reverse().find((c) => c.coverage)?.coverage;
  const coverage = METRICS.filter((metric) => phase.expectedCoverage?.[metric] !== undefined || measured?.[metric] !== undefined).map((metric) => ({
    metric,
    expected: percent(phase.expectedCoverage?.[metric]),
    measured: percent(measured?.[metric]),
  }));
  return {
    project_name: plan.project.name,
    plan_file: path.relative(plan.project.root, plan.source.file).split(path.sep).join('/') || plan.source.file,
    phase: { id: phase.id, name: phase.name, description: phase.description ?? '' },
    group: group ? { id: group.id, name: group.name } : false,
    tasks: reportTasks,
    task_count: reportTasks.length,
    branch: input.branch,
    base: input.base,
    diffstat,
    diffstat_total: {
      files: diffstat.length,
      added: (input.diffstat ?? []).reduce((sum, row) => sum + (row.added ?? 0), 0),
      deleted: (input.diffstat ?? []).reduce((sum, row) => sum + (row.deleted ?? 0), 0),
    },
    checkpoints,
    coverage,
    awaiting: tasks
      .filter((task) => snapshot.tasks[task.id]?.status === 'awaiting' && !snapshot.decisions[task.id])
      .map((task) => ({ id: task.id, name: cell(task.name) })),
  };
}

/** Render `templates/github/<name>.handlebars` with a report. */
export async function renderReport(name: 'commit-message' | 'pull-request-title' | 'pull-request-body.md', report: PhaseReport): Promise<string> {
  const text = await readFile(path.join(githubTemplatesDir(), `${name}.handlebars`), 'utf8');
  return renderTemplate(text, { name: `github/${name}`, variables: report as unknown as Record<string, unknown> });
}

/**
 * The package's templates/github/: the nearest one above this module, which
 * finds it from src/git/, from dist/ and from a bundle written elsewhere in
 * the package (as the end-to-end tests do).
 */
function githubTemplatesDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'templates', 'github');
    if (existsSync(path.join(candidate, 'commit-message.handlebars'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new BugError('the templates/github/ folder of orchestrate is missing: reinstall orchestrate');
    dir = parent;
  }
}

function percent(value: number | undefined): string {
  return value === undefined ? '—' : `${Number(value.toFixed(2))} %`;
}

/** Text safe inside a Markdown table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}
