/**
 * The schema of phases.yaml. Plan-level structure lives here; each task type's
 * own fields come from its handler (the registry the plan is loaded with), and
 * the task schema is a discriminated union on `type`. Types are inferred from
 * the schemas.
 */
import { z } from 'zod';
import type { TaskFieldsSchema } from '../engine/handler.js';
import { durationSchema } from './duration-schema.js';
import { taskVariant } from './task-variant.js';

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * An id written as a string or a whole number; always a string once parsed.
 * A union rather than a preprocess so that the JSON Schema handed to editors
 * accepts `id: 1` as the loader does.
 */
function idSchema(what: string) {
  return z
    .union(
      [
        z.string().regex(ID_PATTERN, { error: `${what} id may use letters, digits, '.', '_' and '-', and must start with a letter or digit` }),
        z.int().nonnegative({ error: (issue) => `${what} id ${String(issue.input)} is not allowed: an id must start with a letter or digit` }),
      ],
      {
        error: (issue) =>
          // A missing id falls through to the generic "missing required field".
          issue.input === undefined
            ? undefined
            : typeof issue.input === 'number'
              ? `${what} id ${issue.input} is not a whole number; quote it ("${issue.input}") so that ids like 1.10 keep their digits`
              : `${what} id must be a string or a whole number, found ${issue.input === null ? 'nothing' : Array.isArray(issue.input) ? 'a list' : typeof issue.input === 'object' ? 'a mapping' : String(issue.input)}`,
      },
    )
    .transform(String);
}

export const phaseIdSchema = idSchema('phase');
export const groupIdSchema = idSchema('group');
export const taskIdSchema = idSchema('task');

const backoffSchema = z.strictObject({
  initial: durationSchema.optional().describe('Wait before the second attempt.'),
  factor: z.number().min(1).optional().describe('Each further wait is the previous one times this.'),
  max: durationSchema.optional().describe('Longest wait between attempts.'),
  jitter: z.boolean().optional().describe('Randomise each wait (full jitter) so retries do not move in step.'),
});

/** Settings that cascade plan -> phase -> group -> task. */
const runSettings = {
  retries: z.int().min(0).max(100).optional().describe('Attempts after the first.'),
  backoff: backoffSchema.optional(),
  timeout: durationSchema.optional().describe('Longest time one attempt may take.'),
  continue_on_error: z.boolean().optional().describe('A failure of this work does not fail the run or skip its dependents.'),
};

const variablesSchema = z
  .record(z.string(), z.unknown())
  .describe('Values for templates; task variables override group, phase and plan ones.');

const coverageFiguresSchema = z.strictObject({
  lines: z.number().min(0).max(100).optional(),
  statements: z.number().min(0).max(100).optional(),
  functions: z.number().min(0).max(100).optional(),
  branches: z.number().min(0).max(100).optional(),
});

const commandSchema = z
  .union([z.string().min(1), z.array(z.string()).min(1)])
  .describe('A program and its arguments: an array, or a string split into words (no shell unless shell: true).');

export const checkpointSchema = z
  .strictObject({
    name: z.string().min(1),
    run: commandSchema.optional(),
    shell: z.boolean().optional(),
    cwd: z.string().min(1).optional().describe('Working directory of `run`, relative to the target root.'),
    expect_exit_code: z.int().optional().describe('Exit code that counts as passing (default 0).'),
    timeout: durationSchema.optional(),
    coverage: z
      .strictObject({
        summary: z
          .string()
          .min(1)
          .describe('Path of an istanbul coverage-summary.json or a coverage.py JSON report, relative to the target root.'),
        min: coverageFiguresSchema.describe('Lowest acceptable percentages.'),
      })
      .optional(),
  })
  .superRefine((value, ctx) => {
    const kinds = Number(value.run !== undefined) + Number(value.coverage !== undefined);
    if (kinds !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          kinds === 0
            ? 'a checkpoint needs `run:` (a command) or `coverage:` (a report to check)'
            : 'a checkpoint has either `run:` or `coverage:`, not both; split it into two checkpoints',
      });
    }
  });

/** Fields every task has, whatever its type. */
export const taskBaseShape = {
  id: taskIdSchema.describe('Unique across the plan, e.g. "2.3".'),
  name: z.string().min(1).optional().describe('Short title; defaults to what the handler says the task does.'),
  description: z.string().optional(),
  variables: variablesSchema.optional(),
  ...runSettings,
};

export interface TaskBase {
  id: string;
  type: string;
  name?: string | undefined;
  description?: string | undefined;
  variables?: Record<string, unknown> | undefined;
  retries?: number | undefined;
  backoff?: z.infer<typeof backoffSchema> | undefined;
  timeout?: number | undefined;
  continue_on_error?: boolean | undefined;
}

/** The pieces of a task schema a handler contributes. */
export interface TaskTypeSchema {
  type: string;
  schema: TaskFieldsSchema;
}

/** Build the whole file's schema from the handlers' task schemas. */
export function buildPlanSchema(taskTypes: readonly TaskTypeSchema[]) {
  const variants = taskTypes.map(({ type, schema }) => taskVariant(type, schema, taskBaseShape));
  const [first, ...rest] = variants;
  if (!first) throw new Error('no task types registered');
  const taskSchema = z.discriminatedUnion('type', [first, ...rest]);

  const groupSchema = z.strictObject({
    id: groupIdSchema.describe('Unique within its phase.'),
    name: z.string().min(1).optional(),
    description: z.string().optional(),
    execution: z.enum(['sequential', 'parallel']).optional().describe('How the tasks run: in order (default) or at once.'),
    max_parallel: z.int().min(1).optional().describe('For a parallel group: how many tasks at once.'),
    depends_on: z.array(groupIdSchema).optional().describe('Groups of the same phase that must finish first. Default: the group above.'),
    variables: variablesSchema.optional(),
    ...runSettings,
    tasks: z.array(taskSchema).min(1, { error: 'a group needs at least one task' }),
  });

  const phaseSchema = z.strictObject({
    id: phaseIdSchema.describe('Unique across the plan; `run --phase` takes it.'),
    name: z.string().min(1),
    description: z.string().optional(),
    depends_on: z.array(phaseIdSchema).optional().describe('Phases that must finish first. Default: the phase above.'),
    parallel_with: z.array(phaseIdSchema).optional().describe('Phases this one may run alongside; checked to be unordered with it.'),
    expected_coverage: coverageFiguresSchema.optional().describe('Coverage this phase promises once done, in percent.'),
    max_parallel: z.int().min(1).optional().describe('How many tasks of this phase at once.'),
    variables: variablesSchema.optional(),
    ...runSettings,
    groups: z.array(groupSchema).min(1, { error: 'a phase needs at least one group' }),
    checkpoints: z.array(checkpointSchema).optional().describe('Checks run after the phase; a failure fails the phase.'),
  });

  return z.strictObject({
    $schema: z.string().optional(),
    version: z.literal(1, {
      // A missing version falls through to "missing required field".
      error: (issue) => (issue.input === undefined ? undefined : 'version must be 1 (the only format version so far)'),
    }),
    project: z
      .strictObject({
        name: z.string().min(1),
        root: z.string().min(1).optional().describe('Target repository, relative to this file. `--cwd` overrides it.'),
      })
      .optional(),
    defaults: z
      .strictObject({
        ...runSettings,
        max_parallel: z.int().min(1).optional().describe('How many tasks at once across the whole run.'),
        fail_fast: z.boolean().optional().describe('Stop at the first failure and cancel running work.'),
      })
      .optional(),
    handlers: z
      .array(z.string().min(1))
      .optional()
      .describe('Plugin modules that add task types: npm package names, or paths relative to this file (docs/plugins.md).'),
    variables: variablesSchema.optional(),
    templates_dir: z.string().min(1).optional().describe('A folder of templates, relative to this file, searched first.'),
    phases: z.array(phaseSchema).min(1, { error: 'a plan needs at least one phase' }),
  });
}

export type PlanSchema = ReturnType<typeof buildPlanSchema>;
export type PlanConfig = z.output<PlanSchema>;
export type PhaseConfig = PlanConfig['phases'][number];
export type GroupConfig = PhaseConfig['groups'][number];
export type TaskConfig = GroupConfig['tasks'][number];
export type CheckpointConfig = z.output<typeof checkpointSchema>;
export type CoverageFigures = z.output<typeof coverageFiguresSchema>;
export type BackoffConfig = z.output<typeof backoffSchema>;
