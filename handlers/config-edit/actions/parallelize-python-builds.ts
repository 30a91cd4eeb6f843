/**
 * `parallelize_python_builds`: run a Python job once per Python version in
 * parallel: `strategy.matrix.python-version` lists the versions, the
 * actions/setup-python step installs `${{ matrix.python-version }}` (a setup
 * step is added after checkout when the job has none), and
 * `defaults.run.working-directory` is set when given.
 */
import { z } from 'zod';
import type { ActionPlan, ConfigAction, EditOp } from '../ops.js';
import { asWorkflow, findStep, isMap, stepJobOf, jobPath, notWorkflow, pinned } from './workflow.js';

export const params = z.strictObject({
  job: z.string({ error: 'give the id of the Python job, e.g. python' }).min(1).describe('The job to run per Python version.'),
  python_versions: z
    .array(z.union([z.string().regex(/^\d+\.\d+(\.\d+)?$|^pypy/), z.number()]), { error: 'list the versions, e.g. ["3.11", "3.12"]' })
    .min(1)
    .describe('Python versions; write them quoted ("3.10"), since 3.10 unquoted is the number 3.1.'),
  working_directory: z.string().min(1).optional().describe('Directory the job’s run steps start in.'),
});
export type Params = z.output<typeof params>;

const MATRIX = '${{ matrix.python-version }}';

export const action: ConfigAction<Params> = {
  name: 'parallelize_python_builds',
  summary: 'Run a Python job as a matrix over Python versions, in parallel.',
  params,
  formats: ['yaml'],
  plan({ file, data, params: p }): ActionPlan {
    const workflow = asWorkflow(data, file, 'parallelize_python_builds');
    if (notWorkflow(workflow)) return workflow;
    const job = stepJobOf(workflow, p.job, file, 'job');
    const versions = p.python_versions.map(String);
    const ops: EditOp[] = [];
    const matrix = isMap(job.strategy) && isMap(job.strategy.matrix) ? job.strategy.matrix['python-version'] : undefined;
    if (JSON.stringify(matrix) !== JSON.stringify(versions)) ops.push({ op: 'set', path: jobPath(p.job, 'strategy', 'matrix', 'python-version'), value: versions });
    const setup = findStep(job, 'actions/setup-python');
    if (setup >= 0) {
      const step = (job.steps as Record<string, unknown>[])[setup]!;
      if (!isMap(step.with) || step.with['python-version'] !== MATRIX) ops.push({ op: 'set', path: jobPath(p.job, 'steps', setup, 'with', 'python-version'), value: MATRIX });
    } else {
      const checkout = findStep(job, 'actions/checkout');
      const value = { uses: pinned(workflow, 'actions/setup-python', 'v5'), with: { 'python-version': MATRIX } };
      ops.push({ op: 'insert', path: jobPath(p.job, 'steps'), index: checkout + 1, value });
    }
    if (p.working_directory !== undefined) {
      const current = isMap(job.defaults) && isMap(job.defaults.run) ? job.defaults.run['working-directory'] : undefined;
      if (current !== p.working_directory) ops.push({ op: 'set', path: jobPath(p.job, 'defaults', 'run', 'working-directory'), value: p.working_directory });
    }
    return { kind: 'ops', ops, summary: `${file}: ${p.job} runs on Python ${versions.join(', ')} in parallel` };
  },
};
