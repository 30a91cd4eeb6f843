/**
 * `implement_staging_deploy`: turn the staging deploy job (default
 * `deploy-staging`) from a placeholder into a real one: it runs only for the
 * given branch (and for releases when the workflow has that trigger), is tied to the GitHub environment (name and URL), builds and
 * pushes the image to the given registry, and runs the deploy command if one
 * is given. The job is created when the workflow has none.
 */
import { z } from 'zod';
import type { ActionPlan, ConfigAction } from '../ops.js';
import { deployNotes, deployOps, deployParams, type DeploySpec } from './deploy.js';
import { asWorkflow, jobOf, notWorkflow, triggerMap } from './workflow.js';

export const params = z.strictObject({
  ...deployParams,
  branch: z.string({ error: 'give the branch that deploys to staging, e.g. main' }).min(1).describe('Only pushes to this branch deploy.'),
  needs: z.array(z.string().min(1)).optional().describe('Jobs that must pass first, e.g. [test].'),
});
export type Params = z.output<typeof params>;

export const action: ConfigAction<Params> = {
  name: 'implement_staging_deploy',
  summary: 'Make the staging deploy job build, push and deploy the image for one branch, in its GitHub environment.',
  params,
  formats: ['yaml'],
  plan({ file, data, params: p }): ActionPlan {
    const workflow = asWorkflow(data, file, 'implement_staging_deploy');
    if (notWorkflow(workflow)) return workflow;
    const settings: Record<string, unknown> = {
      // A release deploys through staging first, so staging runs for releases too.
      if: `github.ref == 'refs/heads/${p.branch}'${Object.hasOwn(triggerMap(workflow.on), 'release') ? " || github.event_name == 'release'" : ''}`,
      environment: { name: p.environment, url: p.url },
    };
    if (p.needs !== undefined) settings.needs = p.needs;
    for (const need of p.needs ?? []) jobOf(workflow, need, file, 'needs');
    const spec: DeploySpec = {
      file,
      environment: p.environment,
      url: p.url,
      registry: p.registry,
      jobId: p.job ?? `deploy-${p.environment}`,
      deployCommand: p.deploy_command,
      dockerfile: p.dockerfile,
      settings,
    };
    return { kind: 'ops', ops: deployOps(workflow, spec), summary: `${file}: ${spec.jobId} deploys ${p.branch} to ${p.environment}`, notes: deployNotes(spec) };
  },
};
