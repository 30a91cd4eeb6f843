/**
 * `add_concurrency`: one run at a time per workflow and branch, a newer push
 * cancelling the run it makes stale. The top-level `concurrency:` goes right
 * after `on:`. A workflow that already sets one keeps it. A workflow only
 * called by others (`workflow_call`) is left alone: there `github.workflow`
 * names the caller, so the group would collide with the caller's own.
 */
import { z } from 'zod';
import type { ActionPlan, ConfigAction } from '../ops.js';
import { asWorkflow, notWorkflow, triggerMap } from './workflow.js';

export const DEFAULT_GROUP = '${{ github.workflow }}-${{ github.ref }}';

export const params = z.strictObject({
  group: z.string().min(1).optional().describe(`The concurrency group (default ${DEFAULT_GROUP}).`),
  cancel_in_progress: z
    .union([z.boolean(), z.string().regex(/^\$\{\{.*\}\}$/s, 'true, false, or an expression such as ${{ github.event_name == \'pull_request\' }}')])
    .optional()
    .describe('Cancel the running run of the group when a new one starts (default true); an expression limits it, e.g. to pull requests.'),
});
export type Params = z.output<typeof params>;

export const action: ConfigAction<Params> = {
  name: 'add_concurrency',
  summary: 'Add a concurrency group per workflow and ref (after on:) that cancels the run a newer push makes stale.',
  params,
  formats: ['yaml'],
  plan({ file, data, params: p }): ActionPlan {
    const workflow = asWorkflow(data, file, 'add_concurrency');
    if (notWorkflow(workflow)) return workflow;
    const triggers = Object.keys(triggerMap(workflow.on));
    if (triggers.length > 0 && triggers.every((name) => name === 'workflow_call')) {
      return { kind: 'not_applicable', reason: `add_concurrency does not apply to ${file}: it only runs when another workflow calls it, and there github.workflow names the caller` };
    }
    if (workflow.concurrency !== undefined) return { kind: 'ops', ops: [], summary: `${file} already sets concurrency` };
    const value = { group: p.group ?? DEFAULT_GROUP, 'cancel-in-progress': p.cancel_in_progress ?? true };
    return {
      kind: 'ops',
      ops: [{ op: 'set', path: ['concurrency'], value, after: 'on' }],
      summary: `${file}: a new run of the same ref ${value['cancel-in-progress'] === true ? 'cancels the one in progress' : 'waits for the one in progress'}`,
    };
  },
};
