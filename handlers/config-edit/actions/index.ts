/**
 * The registry of config edit actions: every action name a plan may use (the
 * enum in ../schema.ts) to its module. The handler looks actions up here to
 * run them, and the plan schema to check each task's params at validate time.
 * Action modules hold only a zod schema and a planning function, so loading
 * them all is cheap; format engines are loaded lazily by edit.ts.
 */
import type { ConfigAction } from '../ops.js';
import type { ActionName } from '../schema.js';
import { action as addDirectoryThresholds } from './add-directory-thresholds.js';
import { action as expandCoverageCollection } from './expand-coverage-collection.js';

// Each action is generic over its own params; side by side they are seen through their schemas.
const registry: Partial<Record<ActionName, ConfigAction>> = {
  expand_coverage_collection: expandCoverageCollection as ConfigAction,
  add_directory_thresholds: addDirectoryThresholds as ConfigAction,
};

/** The action of a name, or undefined for a name no plan may use. */
export function actionFor(name: string): ConfigAction | undefined {
  return Object.hasOwn(registry, name) ? registry[name as ActionName] : undefined;
}

/** Every action, in the order of the schema's enum. */
export function allActions(): ConfigAction[] {
  return Object.values(registry).filter((a): a is ConfigAction => a !== undefined);
}
