/**
 * `add_approval_gates`: tie each deploy job to its GitHub environment so the
 * environment's protection rules (required reviewers, wait timers) gate it.
 * The job of an environment is the one whose `environment` already names it,
 * else the job `deploy-<environment>`. Reviewers cannot be set from a
 * workflow: the outcome's notes say where to set them.
 */
import { z } from 'zod';
import { UserError } from '../../../src/errors.js';
import type { ActionPlan, ConfigAction, EditOp } from '../ops.js';
import { asWorkflow, isMap, jobPath, notWorkflow } from './workflow.js';

export const params = z.strictObject({
  environments: z.array(z.string().min(1)).min(1, { error: 'name at least one environment, e.g. [production]' }).describe('The environments to gate.'),
  required_reviewers: z.int().min(1).max(6).optional().describe('Reviewers to require (set in the repository settings; reported in the notes).'),
  urls: z.record(z.string(), z.url()).optional().describe('Deployment URL per environment, added with the name.'),
  jobs: z.record(z.string(), z.string()).optional().describe('The job of an environment when it is not deploy-<environment>.'),
});
export type Params = z.output<typeof params>;

export const action: ConfigAction<Params> = {
  name: 'add_approval_gates',
  summary: 'Put deploy jobs in their GitHub environments so the environments’ required reviewers gate them.',
  params,
  formats: ['yaml'],
  plan({ file, data, params: p }): ActionPlan {
    const workflow = asWorkflow(data, file, 'add_approval_gates');
    if (notWorkflow(workflow)) return workflow;
    const ops: EditOp[] = [];
    const notes: string[] = [];
    for (const environment of p.environments) {
      const id = p.jobs?.[environment] ?? jobFor(workflow.jobs, environment);
      const job = id === undefined ? undefined : workflow.jobs[id];
      if (id === undefined || !isMap(job)) {
        throw new UserError(`${file}: no job deploys to ${environment}: none has environment: ${environment} and there is no job deploy-${environment}`, {
          retryable: false,
          file,
          hint: `Name the job in params.jobs, e.g. jobs: { ${environment}: deploy }.`,
        });
      }
      if (typeof job.uses === 'string') {
        throw new UserError(`${file}: job "${id}" calls the reusable workflow ${job.uses}; GitHub allows no environment on such a job`, {
          retryable: false,
          file,
          hint: 'Set the environment in the called workflow, or name another job in params.jobs.',
        });
      }
      const url = p.urls?.[environment];
      const current = job.environment;
      const name = typeof current === 'string' ? current : isMap(current) ? current.name : undefined;
      if (name !== environment) {
        ops.push({ op: 'set', path: jobPath(id, 'environment'), value: url === undefined ? environment : { name: environment, url } });
      } else if (url !== undefined && isMap(current) && current.url !== url) {
        ops.push({ op: 'set', path: jobPath(id, 'environment', 'url'), value: url });
      } else if (url !== undefined && typeof current === 'string') {
        ops.push({ op: 'set', path: jobPath(id, 'environment'), value: { name: environment, url } });
      }
      const reviewers = p.required_reviewers ?? 1;
      notes.push(
        `Require ${reviewers} reviewer${reviewers === 1 ? '' : 's'} for the ${environment} environment in Settings > Environments > ${environment} > Required reviewers; GitHub reads them there, not from the workflow.`,
      );
    }
    return { kind: 'ops', ops, summary: `${file}: ${p.environments.join(', ')} deploys wait for the environment's approval`, notes };
  },
};

function jobFor(jobs: Record<string, unknown>, environment: string): string | undefined {
  for (const [id, job] of Object.entries(jobs)) {
    if (!isMap(job)) continue;
    const env = job.environment;
    if (env === environment || (isMap(env) && env.name === environment)) return id;
  }
  return Object.hasOwn(jobs, `deploy-${environment}`) ? `deploy-${environment}` : undefined;
}
