/**
 * What the workflow actions share: recognising a GitHub Actions workflow in
 * parsed YAML, finding jobs and steps, pinning new actions the way the file
 * already pins them, and the errors for a job a plan names but the file lacks.
 */
import { UserError } from '../../../src/errors.js';
import type { ActionPlan, DataPath } from '../ops.js';

export type Step = Record<string, unknown>;
export type Job = Record<string, unknown> & { steps?: unknown };
export interface Workflow {
  on?: unknown;
  jobs: Record<string, Job>;
  [key: string]: unknown;
}

/** The workflow in `data`, or a "not applicable" plan for YAML that is not one. */
export function asWorkflow(data: unknown, file: string, action: string): Workflow | Extract<ActionPlan, { kind: 'not_applicable' }> {
  if (isMap(data) && isMap(data.jobs)) return data as Workflow;
  return { kind: 'not_applicable', reason: `${action} does not apply to ${file}: it is not a GitHub Actions workflow (no jobs map)` };
}

/** True for the "not applicable" result of asWorkflow. */
export function notWorkflow(value: Workflow | ActionPlan): value is Extract<ActionPlan, { kind: 'not_applicable' }> {
  return (value as ActionPlan).kind === 'not_applicable';
}

/** The job `id`; a UserError naming the jobs there are when it is missing. */
export function jobOf(workflow: Workflow, id: string, file: string, param = 'jobs'): Job {
  const job = workflow.jobs[id];
  if (isMap(job)) return job;
  throw new UserError(`${file}: there is no job "${id}" (params.${param}); the jobs are ${Object.keys(workflow.jobs).join(', ') || 'none'}`, {
    retryable: false,
    file,
    hint: `Name a job of ${file} in params.${param}.`,
  });
}

/** The error for a new job whose id the workflow already uses. */
export function jobTaken(file: string, id: string): UserError {
  return new UserError(`${file} already has a job "${id}"; the new job needs another id`, {
    retryable: false,
    file,
    hint: 'Give another id in params.job.',
  });
}

/** The job `id` for adding steps; a UserError when it calls a reusable workflow, which has no steps. */
export function stepJobOf(workflow: Workflow, id: string, file: string, param = 'jobs'): Job {
  const job = jobOf(workflow, id, file, param);
  if (typeof job.uses === 'string') {
    throw new UserError(`${file}: job "${id}" (params.${param}) calls the reusable workflow ${job.uses}, so it cannot take steps`, {
      retryable: false,
      file,
      hint: `Make the edit in the called workflow, or name a job of ${file} that runs steps.`,
    });
  }
  return job;
}

/** The steps of a job (empty when it has none, e.g. a reusable-workflow call). */
export function stepsOf(job: Job): Step[] {
  return Array.isArray(job.steps) ? job.steps.filter(isMap) : [];
}

/** The index of the first step whose `uses` starts with `prefix`, or -1. */
export function findStep(job: Job, prefix: string): number {
  return (Array.isArray(job.steps) ? job.steps : []).findIndex((step) => isMap(step) && typeof step.uses === 'string' && step.uses.startsWith(prefix));
}

/** `repo@ref` with the ref the file already uses for `repo`, else `fallback`. */
export function pinned(workflow: Workflow, repo: string, fallback: string): string {
  for (const job of Object.values(workflow.jobs)) {
    for (const step of isMap(job) ? stepsOf(job) : []) {
      if (typeof step.uses === 'string' && step.uses.startsWith(`${repo}@`)) return step.uses;
    }
  }
  return `${repo}@${fallback}`;
}

/** The runner of the file's first job when it is a plain label, for new jobs. */
export function defaultRunner(workflow: Workflow): string {
  for (const job of Object.values(workflow.jobs)) {
    if (isMap(job) && typeof job['runs-on'] === 'string' && !job['runs-on'].includes('${{')) return job['runs-on'];
  }
  return 'ubuntu-latest';
}

/** The triggers of `on` as a map (a string or list becomes `{name: null}` entries). */
export function triggerMap(on: unknown): Record<string, unknown> {
  if (typeof on === 'string') return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(on.map((name) => [String(name), null]));
  return isMap(on) ? on : {};
}

/** The path of a job key. */
export function jobPath(id: string, ...rest: (string | number)[]): DataPath {
  return ['jobs', id, ...rest];
}

/** The `needs` of a job as a list. */
export function needsOf(job: Job): string[] {
  if (typeof job.needs === 'string') return [job.needs];
  return Array.isArray(job.needs) ? job.needs.map(String) : [];
}

/** A non-null, non-array object. */
export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
