/**
 * Fields of a `config_edit` task: a minimal-diff edit of one configuration
 * file. `params` depends on the action, so the task object carries a check
 * that runs the action's own params schema (its problems are reported at
 * `...tasks[n].params.<key>` by `orchestrate validate`), and, for editors,
 * a JSON Schema `if action is X then params is ...` per action.
 */
import { z } from 'zod';
import { actionFor, allActions } from './actions/index.js';

/** The named edits of a CI/coverage rollout. */
export const NAMED_ACTIONS = [
  'expand_coverage_collection',
  'add_directory_thresholds',
  'remove_continue_on_error',
  'add_migration_step',
  'implement_staging_deploy',
  'implement_production_deploy',
  'add_approval_gates',
  'make_trivy_blocking',
  'parallelize_python_builds',
  'add_path_filters',
  'add_sbom_generation',
  'add_container_scanning',
  'pin_actions',
  'set_permissions',
  'add_concurrency',
  'set_timeout_minutes',
] as const;

/** Generic edits at a path, the base of the named actions. */
export const PRIMITIVE_ACTIONS = ['yaml_set', 'yaml_delete', 'yaml_merge', 'yaml_append', 'json_set', 'json_delete'] as const;

export type ActionName = (typeof NAMED_ACTIONS)[number] | (typeof PRIMITIVE_ACTIONS)[number];

/** Marks a message zod made up itself, so the plan loader may word it in its own way. */
const GENERIC = '\u0000generic';
/** What the plan loader turns into `missing required field "<key>"` at the key's place. */
const REQUIRED = 'this field is required';

const fields = z.object({
  action: z.enum([...NAMED_ACTIONS, ...PRIMITIVE_ACTIONS]).describe('The edit to make.'),
  file: z.string().min(1).describe('The file to edit, relative to the target root.'),
  params: z.record(z.string(), z.unknown()).optional().describe("The action's parameters (see docs/config-edit.md)."),
});

/** Check `params` against the action's schema, reporting each problem under `params`. */
function checkParams(task: z.output<typeof fields>, ctx: z.core.$RefinementCtx<z.output<typeof fields>>): void {
  const action = actionFor(task.action);
  if (action === undefined) return;
  const result = action.params.safeParse(task.params ?? {}, { reportInput: true, error: () => GENERIC });
  if (result.success) return;
  if (task.params === undefined) {
    // Say that params are missing; once they are written, each of their problems is reported in place.
    ctx.addIssue({ code: 'custom', path: ['params'], message: REQUIRED });
    return;
  }
  for (const issue of result.error.issues) {
    const path = ['params', ...issue.path];
    const raw = issue as unknown as Record<string, unknown>;
    if (raw.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_union')) {
      // The action's own words say what to give; without them the loader's "missing required field" does.
      const message = issue.message === GENERIC ? REQUIRED : `missing required field "${String(path[path.length - 1])}": ${issue.message}`;
      ctx.addIssue({ code: 'custom', path, message });
    } else if (issue.message === GENERIC) {
      // Without a message the loader words it, as for every other field of the plan.
      const { message: _generic, path: _inner, ...rest } = raw;
      ctx.addIssue({ ...(rest as z.core.$ZodRawIssue), path } as z.core.$ZodRawIssue);
    } else {
      ctx.addIssue({ code: 'custom', path, message: issue.message });
    }
  }
}

/** `if action is X then params must match X's schema`, for editors; refinements are not representable. */
function paramsJsonSchemas(): Record<string, unknown>[] {
  return allActions().map((action) => {
    const { $schema: _dialect, ...params } = z.toJSONSchema(action.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    return {
      if: { properties: { action: { const: action.name } }, required: ['action'] },
      then: { properties: { params } },
    };
  });
}

let paramsSchemas: Record<string, unknown>[] | undefined;

export const configEditTaskSchema = fields.superRefine(checkParams).meta({
  // Made when a JSON Schema is asked for (`orchestrate schema`), not at every start of the CLI.
  get allOf() {
    paramsSchemas ??= paramsJsonSchemas();
    return paramsSchemas;
  },
});
export type ConfigEditTaskFields = z.output<typeof fields>;
