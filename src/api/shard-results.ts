/**
 * The end of a sharded run (`run --shard i/n`): the shard's results written
 * as one folder for its CI job to upload (`.orchestrate/shard-i-of-n/`, see
 * src/state/shard-bundle.ts), naming the part each task played and the
 * commit the shard ran on, which `merge-results` checks.
 */
import type { HandlerRegistry } from '../engine/registry.js';
import { headCommit } from '../git/head-commit.js';
import type { Shard } from '../plan/shard.js';
import type { Plan } from '../plan/types.js';
import { writeShardBundle, type TaskRole } from '../state/shard-bundle.js';

/** Write the shard's results folder; resolves to its path. */
export async function writeShardResults(plan: Plan, handlerFor: HandlerRegistry['handlerFor'], shard: Shard): Promise<string> {
  const roles: Record<string, TaskRole> = {};
  for (const task of plan.phases.flatMap((p) => p.groups.flatMap((g) => g.tasks))) {
    roles[task.id] = handlerFor(task.type)?.splitsWork === true ? 'split' : shard.index === 1 ? 'whole' : 'elsewhere';
  }
  const { dir } = writeShardBundle({
    root: plan.project.root,
    shard,
    planFile: plan.source.file,
    planHash: plan.source.sha256,
    baseCommit: await headCommit(plan.project.root),
    roles,
  });
  return dir;
}
