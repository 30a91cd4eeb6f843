/**
 * `add_migration_step`: run the database migrations in each deploy job before
 * it deploys. The step goes before the first step that mentions "deploy" in
 * its name, id or command (or at the end), with the connection string from a
 * repository secret. A job that already runs the command is left alone.
 */
import { z } from 'zod';
import type { ActionPlan, ConfigAction, EditOp } from '../ops.js';
import { asWorkflow, stepJobOf, jobPath, notWorkflow, stepsOf } from './workflow.js';

export const params = z.strictObject({
  command: z.string({ error: 'give the migration command, e.g. "npm run db:migrate"' }).min(1).describe('The command that migrates the database.'),
  jobs: z.array(z.string().min(1)).min(1, { error: 'name at least one deploy job' }).describe('The deploy jobs that migrate first.'),
  env_secret: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'a secret name has letters, digits and _ only' })
    .optional()
    .describe('A repository secret passed to the step as the env variable of the same name, e.g. DATABASE_URL.'),
  name: z.string().min(1).optional().describe('The step name (default "Run database migrations").'),
});
export type Params = z.output<typeof params>;

export const action: ConfigAction<Params> = {
  name: 'add_migration_step',
  summary: 'Add a step running the database migrations before the deploy step of each deploy job.',
  params,
  formats: ['yaml'],
  plan({ file, data, params: p }): ActionPlan {
    const workflow = asWorkflow(data, file, 'add_migration_step');
    if (notWorkflow(workflow)) return workflow;
    const step: Record<string, unknown> = { name: p.name ?? 'Run database migrations', run: p.command };
    if (p.env_secret !== undefined) step.env = { [p.env_secret]: `\${{ secrets.${p.env_secret} }}` };
    const ops: EditOp[] = [];
    for (const id of p.jobs) {
      const job = stepJobOf(workflow, id, file);
      const steps = stepsOf(job);
      if (steps.some((s) => typeof s.run === 'string' && s.run.includes(p.command))) continue;
      const deploy = steps.findIndex((s) => /deploy/i.test(`${String(s.name ?? '')} ${String(s.id ?? '')} ${String(s.run ?? '')}`));
      ops.push({ op: 'insert', path: jobPath(id, 'steps'), index: deploy < 0 ? steps.length : deploy, value: step });
    }
    return { kind: 'ops', ops, summary: `${file}: ${p.jobs.join(', ')} run \`${p.command}\` before deploying` };
  },
};
