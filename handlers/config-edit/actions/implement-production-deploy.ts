/**
 * `implement_production_deploy`: turn the production deploy job (default
 * `deploy-production`) into a real one: after the jobs in `needs` (usually
 * the staging deploy), in its GitHub environment (name and URL), building
 * and pushing the image and running the deploy command if given. With
 * `trigger: release` the job runs for published releases only, and the
 * workflow gains the `release` trigger.
 */
import { z } from 'zod';
import type { ActionPlan, ConfigAction, EditOp } from '../ops.js';
import { deployNotes, deployOps, deployParams, type DeploySpec } from './deploy.js';
import { asWorkflow, jobOf, notWorkflow, triggerMap } from './workflow.js';

export const params = z.strictObject({
  ...deployParams,
  needs: z.array(z.string().min(1)).optional().describe('Jobs that must pass first, e.g. [deploy-staging].'),
  trigger: z.enum(['release']).optional().describe('"release": deploy to production when a release is published.'),
});
export type Params = z.output<typeof params>;

export const action: ConfigAction<Params> = {
  name: 'implement_production_deploy',
  summary: 'Make the production deploy job build, push and deploy the image after staging, in its GitHub environment.',
  params,
  formats: ['yaml'],
  plan({ file, data, params: p }): ActionPlan {
    const workflow = asWorkflow(data, file, 'implement_production_deploy');
    if (notWorkflow(workflow)) return workflow;
    const settings: Record<string, unknown> = { environment: { name: p.environment, url: p.url } };
    if (p.needs !== undefined) settings.needs = p.needs;
    if (p.trigger === 'release') settings.if = "github.event_name == 'release'";
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
    // A dangling need makes GitHub reject the workflow; say so before editing.
    for (const need of p.needs ?? []) jobOf(workflow, need, file, 'needs');
    const ops: EditOp[] = [];
    if (p.trigger === 'release') {
      const triggers = triggerMap(workflow.on);
      if (!Object.hasOwn(triggers, 'release')) {
        ops.push(
          typeof workflow.on === 'object' && workflow.on !== null && !Array.isArray(workflow.on)
            ? { op: 'set', path: ['on', 'release'], value: { types: ['published'] } }
            : { op: 'set', path: ['on'], value: { ...triggers, release: { types: ['published'] } } },
        );
      }
    }
    ops.push(...deployOps(workflow, spec));
    const notes = deployNotes(spec);
    if (p.trigger === 'release') {
      for (const need of p.needs ?? []) {
        const condition = workflow.jobs[need]?.if;
        if (typeof condition === 'string' && !condition.includes('release')) {
          notes.push(`${need} runs only if ${condition}; a release skips it and so ${spec.jobId}: let ${need} run for releases too.`);
        }
      }
    }
    return { kind: 'ops', ops, summary: `${file}: ${spec.jobId} deploys to ${p.environment}`, notes };
  },
};
