/**
 * What `orchestrate init` reads of a repository's GitHub Actions workflows,
 * and what is wrong in them for a rollout: tests that cannot fail the build
 * (`continue-on-error`), jobs without `timeout-minutes`, no `concurrency`,
 * no least-privilege `permissions`, actions on tags instead of commit SHAs,
 * and test runs that enforce no coverage minimum.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface WorkflowFacts {
  /** Relative path, e.g. .github/workflows/ci.yml */
  file: string;
  /** Why the file could not be read as a workflow, when it could not. */
  unreadable: string | undefined;
  /** Jobs that run tests with continue-on-error on the job or a test step. */
  nonBlockingTests: string[];
  /** Other jobs with continue-on-error (left alone: they may mean it). */
  nonBlockingOther: string[];
  /** Jobs that run steps without timeout-minutes. */
  noTimeout: string[];
  noConcurrency: boolean;
  noPermissions: boolean;
  /** `uses:` on a tag or branch, not a commit SHA. */
  unpinned: number;
  /** The workflow runs tests. */
  runsTests: boolean;
  /** It runs tests with coverage but no minimum on the command line. */
  coverageWithoutMinimum: boolean;
}

type Map = Record<string, unknown>;
const TESTY = /\b(test|tests|pytest|jest|vitest|coverage|spec|e2e)\b/i;

/** Every workflow under .github/workflows, sorted by path. */
export function inspectWorkflows(root: string): WorkflowFacts[] {
  const dir = path.join(root, '.github', 'workflows');
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort();
  } catch {
    return [];
  }
  return names.map((name) => inspectWorkflow(`.github/workflows/${name}`, fs.readFileSync(path.join(dir, name), 'utf8')));
}

/** The facts of one workflow's text. */
export function inspectWorkflow(file: string, text: string): WorkflowFacts {
  const facts: WorkflowFacts = { file, unreadable: undefined, nonBlockingTests: [], nonBlockingOther: [], noTimeout: [], noConcurrency: false, noPermissions: false, unpinned: 0, runsTests: false, coverageWithoutMinimum: false };
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    const at = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    const message = String((error as Error).message).split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    return { ...facts, unreadable: `it does not parse as YAML (${file}${at ? `:${at.line}:${at.col}` : ''}: ${message})` };
  }
  if (!isMap(data) || !isMap(data.jobs)) return { ...facts, unreadable: 'it has no jobs' };
  const on = data.on ?? data.true; // YAML 1.1 readers take `on` for true
  const triggers = typeof on === 'string' ? [on] : Array.isArray(on) ? on.map(String) : isMap(on) ? Object.keys(on) : [];
  facts.noConcurrency = data.concurrency === undefined && !(triggers.length > 0 && triggers.every((t) => t === 'workflow_call'));
  facts.noPermissions = data.permissions === undefined;
  for (const [id, job] of Object.entries(data.jobs)) {
    if (!isMap(job)) continue;
    if (typeof job.uses === 'string' && !/@[0-9a-f]{40}$/.test(job.uses) && !job.uses.startsWith('./')) facts.unpinned += 1;
    const steps = Array.isArray(job.steps) ? job.steps.filter(isMap) : [];
    if (steps.length > 0 && job['timeout-minutes'] === undefined) facts.noTimeout.push(id);
    const testSteps = steps.filter((step) => TESTY.test(`${String(step.name ?? '')} ${String(step.run ?? '')}`));
    const jobIsTest = TESTY.test(`${id} ${String(job.name ?? '')}`) || testSteps.length > 0;
    if (jobIsTest) facts.runsTests = true;
    const flagged = job['continue-on-error'] !== undefined && job['continue-on-error'] !== false;
    const flaggedTestStep = testSteps.some((step) => step['continue-on-error'] !== undefined && step['continue-on-error'] !== false);
    const flaggedStep = steps.some((step) => step['continue-on-error'] !== undefined && step['continue-on-error'] !== false);
    if ((flagged && jobIsTest) || flaggedTestStep) facts.nonBlockingTests.push(id);
    else if (flagged || flaggedStep) facts.nonBlockingOther.push(id);
    for (const step of steps) {
      if (typeof step.uses === 'string' && !step.uses.startsWith('./') && !step.uses.startsWith('docker://') && !/@[0-9a-f]{40}$/.test(step.uses)) facts.unpinned += 1;
      const run = String(step.run ?? '');
      if (/--cov\b|--coverage\b|coverage run/.test(run) && !/--cov-fail-under|coverageThreshold|fail_under/.test(run)) facts.coverageWithoutMinimum = true;
    }
  }
  return facts;
}

function isMap(value: unknown): value is Map {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when the workflow has something a starter plan would fix. */
export function hasProblems(facts: WorkflowFacts): boolean {
  return facts.unreadable === undefined && (facts.nonBlockingTests.length > 0 || facts.noTimeout.length > 0 || facts.noConcurrency || facts.noPermissions || facts.unpinned > 0);
}
