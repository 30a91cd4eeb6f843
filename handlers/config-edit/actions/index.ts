/**
 * The registry of config edit actions: every action name a plan may use (the
 * enum in ../schema.ts) to its module. The handler looks actions up here to
 * run them, and the plan schema to check each task's params at validate time.
 * Action modules hold only a zod schema and a planning function, so loading
 * them all is cheap; format engines are loaded lazily by edit.ts.
 */
import type { ConfigAction } from '../ops.js';
import type { ActionName } from '../schema.js';
import { action as addApprovalGates } from './add-approval-gates.js';
import { action as addConcurrency } from './add-concurrency.js';
import { action as addContainerScanning } from './add-container-scanning.js';
import { action as addDirectoryThresholds } from './add-directory-thresholds.js';
import { action as addMigrationStep } from './add-migration-step.js';
import { action as addPathFilters } from './add-path-filters.js';
import { action as addSbomGeneration } from './add-sbom-generation.js';
import { action as expandCoverageCollection } from './expand-coverage-collection.js';
import { action as implementProductionDeploy } from './implement-production-deploy.js';
import { action as implementStagingDeploy } from './implement-staging-deploy.js';
import { action as makeTrivyBlocking } from './make-trivy-blocking.js';
import { action as parallelizePythonBuilds } from './parallelize-python-builds.js';
import { action as pinActions } from './pin-actions.js';
import { jsonDelete, jsonSet, yamlAppend, yamlDelete, yamlMerge, yamlSet } from './primitives.js';
import { action as removeContinueOnError } from './remove-continue-on-error.js';
import { action as setPermissions } from './set-permissions.js';
import { action as setTimeoutMinutes } from './set-timeout-minutes.js';

// Each action is generic over its own params; side by side they are seen through their schemas.
const registry: Record<ActionName, ConfigAction> = {
  expand_coverage_collection: expandCoverageCollection as ConfigAction,
  add_directory_thresholds: addDirectoryThresholds as ConfigAction,
  remove_continue_on_error: removeContinueOnError as ConfigAction,
  add_migration_step: addMigrationStep as ConfigAction,
  implement_staging_deploy: implementStagingDeploy as ConfigAction,
  implement_production_deploy: implementProductionDeploy as ConfigAction,
  add_approval_gates: addApprovalGates as ConfigAction,
  make_trivy_blocking: makeTrivyBlocking as ConfigAction,
  parallelize_python_builds: parallelizePythonBuilds as ConfigAction,
  add_path_filters: addPathFilters as ConfigAction,
  add_sbom_generation: addSbomGeneration as ConfigAction,
  add_container_scanning: addContainerScanning as ConfigAction,
  pin_actions: pinActions as ConfigAction,
  set_permissions: setPermissions as ConfigAction,
  add_concurrency: addConcurrency as ConfigAction,
  set_timeout_minutes: setTimeoutMinutes as ConfigAction,
  yaml_set: yamlSet as ConfigAction,
  yaml_delete: yamlDelete as ConfigAction,
  yaml_merge: yamlMerge as ConfigAction,
  yaml_append: yamlAppend as ConfigAction,
  json_set: jsonSet as ConfigAction,
  json_delete: jsonDelete as ConfigAction,
};

/** The action of a name, or undefined for a name no plan may use. */
export function actionFor(name: string): ConfigAction | undefined {
  return Object.hasOwn(registry, name) ? registry[name as ActionName] : undefined;
}

/** Every action, in the order of the schema's enum. */
export function allActions(): ConfigAction[] {
  return Object.values(registry);
}
