/**
 * `set_permissions`: least privilege for the GITHUB_TOKEN. A workflow with no
 * top-level `permissions` gets one (by default `contents: read`) right after
 * `on:`; jobs named in `jobs` get their own (before their steps), for those
 * that need more. A `permissions` already written is never widened or
 * replaced. Jobs left on the new default that use the token get a note.
 */
import { z } from 'zod';
import type { ActionPlan, ConfigAction, EditOp } from '../ops.js';
import { asWorkflow, isMap, jobOf, jobPath, notWorkflow, stepsOf } from './workflow.js';

const level = z.enum(['read', 'write', 'none']);
const permissions = z.union([z.enum(['read-all', 'write-all']), z.record(z.string().regex(/^[a-z-]+$/, 'a permission name such as contents'), level)]);

export const params = z.strictObject({
  permissions: permissions.optional().describe('The workflow’s permissions (default { contents: read }).'),
  jobs: z.record(z.string().min(1), permissions).optional().describe('Jobs that need other permissions, each with its own.'),
});
export type Params = z.output<typeof params>;

// Actions that write with the token: a job using one needs more than read.
const WRITERS = /^(peaceiris\/actions-gh-pages|softprops\/action-gh-release|actions\/create-release|actions\/deploy-pages|stefanzweifel\/git-auto-commit-action|peter-evans\/create-pull-request|actions\/github-script|changesets\/action|googleapis\/release-please-action|EndBug\/add-and-commit|docker\/login-action)@/;

export const action: ConfigAction<Params> = {
  name: 'set_permissions',
  summary: 'Give the workflow least-privilege token permissions (contents: read unless told), and named jobs their own.',
  params,
  formats: ['yaml'],
  plan({ file, data, params: p }): ActionPlan {
    const workflow = asWorkflow(data, file, 'set_permissions');
    if (notWorkflow(workflow)) return workflow;
    const ops: EditOp[] = [];
    const notes: string[] = [];
    const top = p.permissions ?? { contents: 'read' };
    if (workflow.permissions === undefined) ops.push({ op: 'set', path: ['permissions'], value: top, after: 'on' });
    else if (p.permissions !== undefined && JSON.stringify(workflow.permissions) !== JSON.stringify(top)) notes.push('the workflow keeps the permissions it has');
    for (const [id, wanted] of Object.entries(p.jobs ?? {})) {
      const job = jobOf(workflow, id, file, `jobs.${id}`);
      if (job.permissions === undefined) ops.push({ op: 'set', path: jobPath(id, 'permissions'), value: wanted, before: 'steps' });
      else if (JSON.stringify(job.permissions) !== JSON.stringify(wanted)) notes.push(`${id} keeps the permissions it has`);
    }
    if (workflow.permissions === undefined) {
      for (const [id, job] of Object.entries(workflow.jobs)) {
        if (!isMap(job) || job.permissions !== undefined || Object.hasOwn(p.jobs ?? {}, id)) continue;
        const writer = stepsOf(job).find((step) => typeof step.uses === 'string' && WRITERS.test(step.uses));
        if (writer !== undefined) notes.push(`${id} uses ${String(writer.uses)}, which may need write permissions: give them in params.jobs.${id}`);
        else if (typeof job.uses === 'string') notes.push(`${id} calls ${job.uses}, which gets only these permissions: check what it needs`);
      }
    }
    const what = ops.map((op) => (op.path.length === 1 ? 'the workflow' : String(op.path[1])));
    return { kind: 'ops', ops, notes, summary: `${file}: token permissions set for ${what.join(', ') || 'nothing'}` };
  },
};
