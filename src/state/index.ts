/**
 * The state store's public face: the run log, the snapshot derived from it,
 * and the repository lock. Other layers import from here, not from the files.
 */
export { acquireLock, liveLockHolder, readLockHolder, type LockHandle, type LockHolder, type LockOptions } from './lock.js';
export { runLogPath, statePaths, type StatePaths } from './paths.js';
export { createRunId, listRunLogs, readRunLog, RunLogWriter, type RunLogRead } from './run-log.js';
export { reduce, settleInterrupted, snapshotFromLogs, persistedEventTypes } from './snapshot.js';
export {
  emptySnapshot,
  parseSnapshot,
  snapshotSchema,
  type CheckpointRecord,
  type DecisionRecord,
  type RunRecord,
  type RunStatus,
  type Snapshot,
  type TaskRecord,
  type TaskStatus,
} from './snapshot-schema.js';
export { StateStore, type DecisionInput } from './store.js';
