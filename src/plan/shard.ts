/**
 * Shards: `run --shard i/n` splits the sources of each source-splitting task
 * (test generation) over n jobs. This module parses the flag and decides
 * which items are a shard's share. The split is sorted round-robin: the k-th
 * item (items in sorted order) goes to shard ((k + offset) mod n) + 1, with an
 * offset from a hash of the task id, so every machine that sees the same
 * sources makes the same split, the shares of one task differ by at most one
 * item, and tasks with a single source do not all land in shard 1.
 */
import { createHash } from 'node:crypto';
import { UserError } from '../errors.js';

/** One job's place among the jobs of a sharded run: `index` of `count`, 1-based. */
export interface Shard {
  index: number;
  count: number;
}

/** Parse `i/n` (1 <= i <= n); a UserError naming the flag otherwise. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const hint = 'Write --shard i/n with whole numbers, 1 <= i <= n: e.g. --shard 2/3 is the second of three jobs (in a matrix: --shard ${{ matrix.shard }}/3).';
  if (!match) throw new UserError(`--shard "${text}" is not of the form i/n`, { hint });
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1) throw new UserError(`--shard ${text}: the number of shards must be at least 1`, { hint });
  if (index < 1 || index > count) throw new UserError(`--shard ${text}: the shard must be between 1 and ${count}`, { hint });
  if (count > 1000) throw new UserError(`--shard ${text}: at most 1000 shards`, { hint });
  return { index, count };
}

/** `i/n`, as the flag is written. */
export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** The items of `sorted` (in a stable, sorted order) that are `shard`'s share of the task `taskId`. */
export function shareOf<T>(sorted: readonly T[], shard: Shard, taskId: string): T[] {
  if (shard.count === 1) return [...sorted];
  const offset = hashOffset(taskId, shard.count);
  return sorted.filter((_, k) => ((k + offset) % shard.count) + 1 === shard.index);
}

/** The shard (1-based) the k-th of a task's sorted items belongs to. */
export function shardOfItem(k: number, count: number, taskId: string): number {
  return ((k + hashOffset(taskId, count)) % count) + 1;
}

function hashOffset(taskId: string, count: number): number {
  return createHash('sha256').update(taskId).digest().readUInt32BE(0) % count;
}
