/**
 * `set_timeout_minutes`: give jobs a `timeout-minutes`, so that a hung step
 * fails after minutes instead of holding a runner for GitHub's six hours.
 * The key goes before the job's `steps:`, where people put it. A job that has
 * its own timeout keeps it unless `replace: true`; a job that calls a reusable
 * workflow takes none (GitHub refuses it there).
 */
import { z } from 'zod';
import type { ActionPlan, ConfigAction, EditOp } from '../ops.js';
import { asWorkflow, jobOf, jobPath, notWorkflow } from './workflow.js';

export const params = z.strictObject({
  minutes: z
    .number({ error: 'give the minutes a job may run, e.g. 15' })
    .int('a whole number of minutes')
    .min(1, 'at least 1 minute')
    .max(4320, 'GitHub allows at most 4320 minutes (72 hours)')
    .describe('Minutes a job may run before GitHub cancels it.'),
  jobs: z.array(z.string().min(1)).optional().describe('The jobs (default: every job that runs steps).'),
  replace: z.boolean().optional().describe('Also change a timeout a job already has (default false).'),
});
export type Params = z.output<typeof params>;

export const action: ConfigAction<Params> = {
  name: 'set_timeout_minutes',
  summary: 'Give jobs a timeout-minutes (before their steps), so a hung job fails in minutes.',
  params,
  formats: ['yaml'],
  plan({ file, data, params: p }): ActionPlan {
    const workflow = asWorkflow(data, file, 'set_timeout_minutes');
    if (notWorkflow(workflow)) return workflow;
    const ids = p.jobs ?? Object.keys(workflow.jobs).filter((id) => typeof workflow.jobs[id]?.uses !== 'string');
    if (ids.length === 0) return { kind: 'not_applicable', reason: `set_timeout_minutes does not apply to ${file}: every job calls a reusable workflow` };
    const ops: EditOp[] = [];
    const notes: string[] = [];
    for (const id of ids) {
      const job = jobOf(workflow, id, file);
      if (typeof job.uses === 'string') {
        notes.push(`${id} calls a reusable workflow, which takes no timeout-minutes: set it in ${job.uses}`);
        continue;
      }
      const current = job['timeout-minutes'];
      if (current === p.minutes) continue;
      if (current !== undefined && p.replace !== true) {
        notes.push(`${id} keeps its timeout-minutes of ${String(current)}`);
        continue;
      }
      ops.push({ op: 'set', path: jobPath(id, 'timeout-minutes'), value: p.minutes, before: 'steps' });
    }
    const touched = ops.map((op) => String(op.path[1]));
    return { kind: 'ops', ops, notes, summary: `${file}: ${touched.join(', ') || 'no job'} now time${touched.length === 1 ? 's' : ''} out after ${p.minutes} minutes` };
  },
};
