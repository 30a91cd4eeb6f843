/**
 * `remove_continue_on_error`: make failing lint and test jobs fail the
 * workflow again. Deletes `continue-on-error` (whether `true` or an
 * expression) from the named jobs and, unless `steps: false`, from their
 * steps; the lines go, everything around them stays.
 */
import { z } from 'zod';
import type { ActionPlan, ConfigAction, EditOp } from '../ops.js';
import { asWorkflow, jobOf, jobPath, notWorkflow, stepsOf } from './workflow.js';

export const params = z.strictObject({
  jobs: z.array(z.string().min(1)).optional().describe('The jobs to make blocking (default: every job).'),
  steps: z.boolean().optional().describe("Also remove it from the jobs' steps (default true)."),
});
export type Params = z.output<typeof params>;

export const action: ConfigAction<Params> = {
  name: 'remove_continue_on_error',
  summary: 'Delete continue-on-error from jobs (and their steps) so their failures fail the workflow.',
  params,
  formats: ['yaml'],
  plan({ file, data, params: p }): ActionPlan {
    const workflow = asWorkflow(data, file, 'remove_continue_on_error');
    if (notWorkflow(workflow)) return workflow;
    const ids = p.jobs ?? Object.keys(workflow.jobs);
    const ops: EditOp[] = [];
    const touched: string[] = [];
    for (const id of ids) {
      const job = jobOf(workflow, id, file);
      const before = ops.length;
      if (p.steps !== false && Array.isArray(job.steps)) {
        // Later steps first: deleting a key never shifts indices, but keep the order stable anyway.
        stepsOf(job).forEach((step) => {
          if (Object.hasOwn(step, 'continue-on-error')) ops.push({ op: 'delete', path: jobPath(id, 'steps', (job.steps as unknown[]).indexOf(step), 'continue-on-error') });
        });
      }
      if (Object.hasOwn(job, 'continue-on-error')) ops.push({ op: 'delete', path: jobPath(id, 'continue-on-error') });
      if (ops.length > before) touched.push(id);
    }
    return { kind: 'ops', ops, summary: `${file}: failures of ${touched.join(', ') || ids.join(', ')} now fail the workflow` };
  },
};
