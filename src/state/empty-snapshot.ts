/** The state of a repository nothing has run in yet (apart from the schema, so that folding events loads no zod). */
import type { Snapshot } from './snapshot-schema.js';

/** The state of a repository nothing has run in yet. */
export function emptySnapshot(): Snapshot {
  return { version: 1, planHash: '', updatedAt: new Date(0).toISOString(), runs: [], tasks: {}, checkpoints: {}, decisions: {} };
}
