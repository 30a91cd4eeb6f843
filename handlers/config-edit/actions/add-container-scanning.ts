/**
 * `add_container_scanning`: scan the built container image for
 * vulnerabilities. Adds a job (default `container-scan`) that builds the
 * image from the Dockerfile and scans it with aquasecurity/trivy-action
 * (`image-ref`), failing on findings of the given severities. Nothing
 * changes when a Trivy step already scans an image.
 */
import { z } from 'zod';
import type { ActionPlan, ConfigAction } from '../ops.js';
import { asWorkflow, jobTaken, defaultRunner, isMap, notWorkflow, pinned, stepsOf, jobPath } from './workflow.js';

export const params = z.strictObject({
  image: z
    .string({ error: 'give the image name to scan, e.g. ghcr.io/org/app' })
    .min(1)
    .refine((i) => !/\s/.test(i), { error: 'an image name has no spaces' })
    .describe('Image name the job builds and scans (tagged with the commit SHA).'),
  severity: z
    .string()
    .regex(/^(UNKNOWN|LOW|MEDIUM|HIGH|CRITICAL)(,(UNKNOWN|LOW|MEDIUM|HIGH|CRITICAL))*$/, { error: 'write severities like CRITICAL,HIGH' })
    .optional()
    .describe('Severities that fail the scan (default CRITICAL,HIGH).'),
  dockerfile: z.string().min(1).optional().describe('The Dockerfile to build (default Dockerfile).'),
  context: z.string().min(1).optional().describe('The build context (default .).'),
  job: z.string().min(1).optional().describe('The id of the new job (default container-scan).'),
});
export type Params = z.output<typeof params>;

export const action: ConfigAction<Params> = {
  name: 'add_container_scanning',
  summary: 'Add a job that builds the container image and scans it with Trivy, failing on serious findings.',
  params,
  formats: ['yaml'],
  plan({ file, data, params: p }): ActionPlan {
    const workflow = asWorkflow(data, file, 'add_container_scanning');
    if (notWorkflow(workflow)) return workflow;
    const scansImage = Object.values(workflow.jobs).some(
      (job) =>
        isMap(job) &&
        stepsOf(job).some((s) => typeof s.uses === 'string' && s.uses.startsWith('aquasecurity/trivy-action') && isMap(s.with) && s.with['image-ref'] !== undefined),
    );
    if (scansImage) return { kind: 'ops', ops: [], summary: '' };
    const ref = `${p.image}:\${{ github.sha }}`;
    const id = p.job ?? 'container-scan';
    const job = {
      'runs-on': defaultRunner(workflow),
      permissions: { contents: 'read' },
      steps: [
        { uses: pinned(workflow, 'actions/checkout', 'v4') },
        { name: 'Build the image', run: `docker build -t ${ref} -f ${p.dockerfile ?? 'Dockerfile'} ${p.context ?? '.'}` },
        {
          name: 'Scan the image',
          uses: pinned(workflow, 'aquasecurity/trivy-action', '0.28.0'),
          with: { 'image-ref': ref, format: 'table', 'exit-code': '1', 'ignore-unfixed': true, severity: p.severity ?? 'CRITICAL,HIGH' },
        },
      ],
    };
    if (workflow.jobs[id] !== undefined) throw jobTaken(file, id);
    return { kind: 'ops', ops: [{ op: 'set', path: jobPath(id), value: job }], summary: `${file}: job ${id} scans ${p.image} with Trivy` };
  },
};
