/** Fields of a `config_edit` task: a minimal-diff edit of one configuration file. */
import { z } from 'zod';

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
] as const;

/** Generic edits at a path, the base of the named actions. */
export const PRIMITIVE_ACTIONS = ['yaml_set', 'yaml_delete', 'yaml_merge', 'yaml_append', 'json_set', 'json_delete'] as const;

export const configEditTaskSchema = z.object({
  action: z.enum([...NAMED_ACTIONS, ...PRIMITIVE_ACTIONS]).describe('The edit to make.'),
  file: z.string().min(1).describe('The file to edit, relative to the target root.'),
  params: z.record(z.string(), z.unknown()).optional().describe("The action's parameters."),
});
export type ConfigEditTaskFields = z.output<typeof configEditTaskSchema>;
