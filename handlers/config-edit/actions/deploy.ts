/**
 * The deploy jobs of `implement_staging_deploy` and
 * `implement_production_deploy`: build the image, push it to the registry the
 * plan names, and run the deploy command when the plan gives one. Placeholder
 * steps (ones that only `echo`) are removed; steps doing real work stay, and
 * the new steps are added only when the job lacks them, so a second run
 * changes nothing.
 */
import { z } from 'zod';
import { UserError } from '../../../src/errors.js';
import type { EditOp } from '../ops.js';
import { defaultRunner, findStep, isMap, jobPath, needsOf, pinned, stepsOf, type Job, type Workflow } from './workflow.js';

export const deployParams = {
  environment: z.string({ error: 'give the environment name, e.g. staging' }).min(1).describe('The GitHub environment the job deploys to.'),
  url: z.url({ error: 'give the URL of the deployed app, e.g. https://staging.example.com' }).describe('Shown on the deployment in GitHub.'),
  registry: z
    .string({ error: 'give the image registry and name, e.g. ghcr.io/org/app (orchestrate cannot tell where images go)' })
    .min(1)
    .refine((r) => !/[\s:]$/.test(r) && !r.includes('://'), { error: 'write the registry as host/path, e.g. ghcr.io/org/app' })
    .describe('Image name with its registry host, e.g. ghcr.io/org/app.'),
  job: z.string().min(1).optional().describe('The job id (default deploy-<environment>).'),
  deploy_command: z.string().min(1).optional().describe('The command that rolls the pushed image out; it sees IMAGE in its env.'),
  dockerfile: z.string().min(1).optional().describe('The Dockerfile to build (default Dockerfile).'),
};

export interface DeploySpec {
  file: string;
  environment: string;
  url: string;
  registry: string;
  jobId: string;
  deployCommand?: string | undefined;
  dockerfile?: string | undefined;
  /** Job keys set besides the steps (if, needs, environment...). */
  settings: Record<string, unknown>;
}

/** True for a step that only echoes: a placeholder a real deploy replaces. */
export function isPlaceholder(step: Record<string, unknown>): boolean {
  if (typeof step.run !== 'string' || step.uses !== undefined) return false;
  const lines = step.run.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  return lines.length > 0 && lines.every((l) => /^(echo|printf|true|:)(\s|$)/.test(l));
}

/** The ops that make the job `spec.jobId` build, push and deploy; none when it already does. */
export function deployOps(workflow: Workflow, spec: DeploySpec): EditOp[] {
  const image = `${spec.registry}:\${{ github.sha }}`;
  const wanted: Record<string, unknown>[] = [
    { uses: pinned(workflow, 'actions/checkout', 'v4') },
    {
      name: 'Log in to the registry',
      uses: pinned(workflow, 'docker/login-action', 'v3'),
      with: loginInputs(spec.registry),
    },
    { uses: pinned(workflow, 'docker/setup-buildx-action', 'v3') },
    {
      name: 'Build and push the image',
      uses: pinned(workflow, 'docker/build-push-action', 'v6'),
      with: { context: '.', file: spec.dockerfile ?? 'Dockerfile', push: true, tags: `${image}\n${spec.registry}:${spec.environment}\n` },
    },
  ];
  if (spec.deployCommand !== undefined) {
    wanted.push({ name: `Deploy to ${spec.environment}`, run: spec.deployCommand, env: { IMAGE: image } });
  }
  const existing = workflow.jobs[spec.jobId];
  if (!isMap(existing)) {
    const job: Job = { 'runs-on': defaultRunner(workflow), ...spec.settings, ...permissions(spec.registry), steps: wanted };
    return [{ op: 'set', path: jobPath(spec.jobId), value: job }];
  }
  if (typeof existing.uses === 'string') {
    throw new UserError(`${spec.file}: job "${spec.jobId}" calls the reusable workflow ${existing.uses}, so it cannot take deploy steps`, {
      retryable: false,
      file: spec.file,
      hint: 'Give another job id in params.job, or make the deploy in the called workflow.',
    });
  }
  const ops: EditOp[] = [];
  for (const [key, value] of Object.entries({ ...spec.settings, ...permissions(spec.registry) })) {
    if (key === 'permissions' && existing.permissions !== undefined) continue;
    // `needs: build` and `needs: [build]` are the same to GitHub.
    if (key === 'needs' && JSON.stringify(needsOf(existing)) === JSON.stringify(value)) continue;
    if (JSON.stringify(existing[key]) !== JSON.stringify(value)) {
      ops.push({ op: 'set', path: jobPath(spec.jobId, key), value });
    }
  }
  const steps = Array.isArray(existing.steps) ? existing.steps : [];
  if (steps.length > 0 && steps.every((step) => isMap(step) && isPlaceholder(step))) {
    // Only placeholders: the new steps take their place as one list.
    return [...ops, { op: 'set', path: jobPath(spec.jobId, 'steps'), value: wanted }];
  }
  // Placeholders go from the end so indices stay valid; then missing steps are appended in order.
  let count = steps.length;
  for (let i = steps.length - 1; i >= 0; i -= 1) {
    if (isMap(steps[i]) && isPlaceholder(steps[i] as Record<string, unknown>)) {
      ops.push({ op: 'delete', path: jobPath(spec.jobId, 'steps', i) });
      count -= 1;
    }
  }
  for (const step of wanted) {
    const has =
      typeof step.uses === 'string'
        ? findStep(existing, step.uses.split('@')[0]!) >= 0
        : stepsOf(existing).some((s) => s.run === step.run);
    if (has) continue;
    ops.push({ op: 'insert', path: jobPath(spec.jobId, 'steps'), index: count, value: step });
    count += 1;
  }
  if (!Array.isArray(existing.steps) && ops.some((op) => op.op === 'insert')) {
    // A job without steps (e.g. only `runs-on`) gets them as one list.
    return [...ops.filter((op) => op.op !== 'insert'), { op: 'set', path: jobPath(spec.jobId, 'steps'), value: wanted }];
  }
  return ops;
}

/** A note for the outcome when no deploy command was given. */
export function deployNotes(spec: DeploySpec): string[] {
  if (spec.deployCommand !== undefined) return [];
  return [
    `${spec.jobId} pushes ${spec.registry}:${spec.environment}; give params.deploy_command to also roll the image out from the job.`,
  ];
}

function loginInputs(registry: string): Record<string, string> {
  const host = registry.split('/')[0]!;
  if (host === 'ghcr.io') return { registry: host, username: '${{ github.actor }}', password: '${{ secrets.GITHUB_TOKEN }}' };
  if (!host.includes('.')) return { username: '${{ secrets.REGISTRY_USERNAME }}', password: '${{ secrets.REGISTRY_PASSWORD }}' };
  return { registry: host, username: '${{ secrets.REGISTRY_USERNAME }}', password: '${{ secrets.REGISTRY_PASSWORD }}' };
}

function permissions(registry: string): Record<string, unknown> {
  return registry.startsWith('ghcr.io/') ? { permissions: { contents: 'read', packages: 'write' } } : {};
}
