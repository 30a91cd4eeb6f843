/**
 * `add_sbom_generation`: produce a software bill of materials on every run.
 * Adds a job (default `sbom`) that checks out the code, generates the SBOM
 * with anchore/sbom-action in the given format, and uploads it with
 * actions/upload-artifact for the given number of days. Nothing changes when
 * the workflow already runs anchore/sbom-action.
 */
import { z } from 'zod';
import type { ActionPlan, ConfigAction } from '../ops.js';
import { asWorkflow, jobTaken, defaultRunner, findStep, isMap, jobPath, notWorkflow, pinned } from './workflow.js';

const EXTENSIONS = { 'spdx-json': 'spdx.json', 'cyclonedx-json': 'cdx.json', spdx: 'spdx', 'cyclonedx-xml': 'cdx.xml', 'syft-json': 'syft.json' } as const;

export const params = z.strictObject({
  format: z.enum(Object.keys(EXTENSIONS) as [keyof typeof EXTENSIONS]).optional().describe('SBOM format (default spdx-json).'),
  artifact_name: z.string().min(1).optional().describe('Name of the uploaded artifact (default sbom).'),
  retention_days: z.int().min(1).max(400).optional().describe('Days GitHub keeps the artifact (default 90).'),
  image: z.string().min(1).optional().describe('Scan this image instead of the checked-out files.'),
  job: z.string().min(1).optional().describe('The id of the new job (default sbom).'),
});
export type Params = z.output<typeof params>;

export const action: ConfigAction<Params> = {
  name: 'add_sbom_generation',
  summary: 'Add a job that generates an SBOM with anchore/sbom-action and uploads it as an artifact.',
  params,
  formats: ['yaml'],
  plan({ file, data, params: p }): ActionPlan {
    const workflow = asWorkflow(data, file, 'add_sbom_generation');
    if (notWorkflow(workflow)) return workflow;
    if (Object.values(workflow.jobs).some((job) => isMap(job) && findStep(job, 'anchore/sbom-action') >= 0)) return { kind: 'ops', ops: [], summary: '' };
    const format = p.format ?? 'spdx-json';
    const output = `sbom.${EXTENSIONS[format]}`;
    const id = p.job ?? 'sbom';
    const job = {
      'runs-on': defaultRunner(workflow),
      permissions: { contents: 'read' },
      steps: [
        { uses: pinned(workflow, 'actions/checkout', 'v4') },
        {
          name: 'Generate the SBOM',
          uses: pinned(workflow, 'anchore/sbom-action', 'v0'),
          with: { ...(p.image === undefined ? { path: '.' } : { image: p.image }), format, 'output-file': output, 'upload-artifact': false },
        },
        {
          name: 'Upload the SBOM',
          uses: pinned(workflow, 'actions/upload-artifact', 'v4'),
          with: { name: p.artifact_name ?? 'sbom', path: output, 'retention-days': p.retention_days ?? 90 },
        },
      ],
    };
    if (workflow.jobs[id] !== undefined) throw jobTaken(file, id);
    return { kind: 'ops', ops: [{ op: 'set', path: jobPath(id), value: job }], summary: `${file}: job ${id} generates an ${format} SBOM` };
  },
};
