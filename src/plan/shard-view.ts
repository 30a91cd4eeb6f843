/**
 * `plan --shard i/n`: the phases as one job of a sharded run sees them.
 * Which sources are a shard's share is known only when the task lists them
 * (`run --dry-run --shard i/n` shows them); the plan says which tasks split,
 * which run in shard 1 only, and that checkpoints wait for merge-results.
 */
import { formatShard, type Shard } from './shard.js';
import type { PlannedPhase, PlannedTask } from './types.js';

/** Copies of `phases` with each task and checkpoint marked for `shard`; `splits` says whether a task type splits its work. */
export function phasesForShard(phases: readonly PlannedPhase[], splits: (type: string) => boolean, shard: Shard): PlannedPhase[] {
  const mark = (task: PlannedTask): PlannedTask => {
    const note = splits(task.type) ? `[shard ${formatShard(shard)}: its share of the sources]` : shard.index === 1 ? '[shard 1: all of it]' : '[runs in shard 1, not here]';
    const description = `${note} ${task.description}`;
    return { ...task, description, name: task.name === task.description ? description : task.name };
  };
  return phases.map((phase) => ({
    ...phase,
    groups: phase.groups.map((group) => ({ ...group, tasks: group.tasks.map(mark) })),
    checkpoints: phase.checkpoints.map((checkpoint) => ({ ...checkpoint, name: `after merge-results: ${checkpoint.name}` })),
  }));
}
