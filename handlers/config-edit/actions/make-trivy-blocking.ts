/**
 * `make_trivy_blocking`: make every Trivy scan step (`uses:
 * aquasecurity/trivy-action@...`) fail the job on findings: `exit-code`,
 * `severity` and `ignore-unfixed` in its `with`, and its `continue-on-error`
 * removed. Inputs already set to the wanted value are left as written.
 */
import { z } from 'zod';
import type { ActionPlan, ConfigAction, EditOp } from '../ops.js';
import { asWorkflow, isMap, jobPath, notWorkflow } from './workflow.js';

export const params = z.strictObject({
  severity: z
    .string()
    .regex(/^(UNKNOWN|LOW|MEDIUM|HIGH|CRITICAL)(,(UNKNOWN|LOW|MEDIUM|HIGH|CRITICAL))*$/, { error: 'write severities like CRITICAL,HIGH' })
    .optional()
    .describe('Severities that fail the scan, e.g. CRITICAL,HIGH.'),
  exit_code: z.int().min(1).max(255).optional().describe('Exit code on findings (default 1).'),
  ignore_unfixed: z.boolean().optional().describe('Ignore vulnerabilities without a fix.'),
});
export type Params = z.output<typeof params>;

export const action: ConfigAction<Params> = {
  name: 'make_trivy_blocking',
  summary: 'Make Trivy scan steps fail the job on findings of the given severities.',
  params,
  formats: ['yaml'],
  plan({ file, data, params: p }): ActionPlan {
    const workflow = asWorkflow(data, file, 'make_trivy_blocking');
    if (notWorkflow(workflow)) return workflow;
    const wanted: Record<string, unknown> = { 'exit-code': String(p.exit_code ?? 1) };
    if (p.severity !== undefined) wanted.severity = p.severity;
    if (p.ignore_unfixed !== undefined) wanted['ignore-unfixed'] = p.ignore_unfixed;
    const ops: EditOp[] = [];
    let found = 0;
    for (const [id, job] of Object.entries(workflow.jobs)) {
      if (!isMap(job) || !Array.isArray(job.steps)) continue;
      job.steps.forEach((step: unknown, index: number) => {
        if (!isMap(step) || typeof step.uses !== 'string' || !step.uses.startsWith('aquasecurity/trivy-action')) return;
        found += 1;
        const inputs = isMap(step.with) ? step.with : {};
        for (const [key, value] of Object.entries(wanted)) {
          // `exit-code: 1` and `exit-code: '1'` mean the same to the action.
          if (String(inputs[key]) !== String(value)) ops.push({ op: 'set', path: jobPath(id, 'steps', index, 'with', key), value });
        }
        if (Object.hasOwn(step, 'continue-on-error')) ops.push({ op: 'delete', path: jobPath(id, 'steps', index, 'continue-on-error') });
      });
    }
    if (found === 0) return { kind: 'not_applicable', reason: `${file} has no aquasecurity/trivy-action step to make blocking` };
    return { kind: 'ops', ops, summary: `${file}: ${found} Trivy scan${found === 1 ? '' : 's'} now fail the job on findings` };
  },
};
