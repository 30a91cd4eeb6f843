/**
 * The shape of `.orchestrate/state.json`, as a zod schema so the file is
 * checked when read and the TypeScript type is not written twice.
 *
 * ```
 * {
 *   version: 1,
 *   planHash,                 // of the plan the latest run used
 *   updatedAt,                // ISO time of the latest event folded in
 *   runs: [{ id, startedAt, finishedAt?, status, dryRun: false, pid? }],   // oldest first; dry runs are never recorded
 *   tasks: { [taskId]: { status, outcome?, summary, details?, files, attempts, durationMs,
 *                        lastRunId, finishedAt?, fingerprint, error?, errorFile?, progress? } },
 *   checkpoints: { [phaseId]: [{ name, passed, detail, coverage?, expected?, time, runId }] },
 *   decisions: { [taskId]: { decision, by, note?, time } },
 *   logs?: { [logFileName]: bytes },   // what the snapshot covers; see below
 * }
 * ```
 *
 * Run status: running | done | failed | awaiting | interrupted (started, never
 * finished: the process died). Task status: done (outcome changed, unchanged
 * or skipped) | failed | cancelled | awaiting | skipped (a person skipped it) |
 * running. `finishedAt` is absent while a task runs for the first time.
 * `progress` is a running task's latest report (`{ done, total, unit?,
 * current? }`), left on a task the run stopped, so `status` says how far it got.
 * A task's `files` are every file it changed, those it kept before it ended
 * (`task:keep`) included, and those an unfinished earlier run of it kept.
 * Checkpoints keep the latest result per name, in first-seen order. All times
 * are ISO 8601 strings.
 */
import { z } from 'zod';

const coverageSchema = z.object({
  lines: z.number().optional(),
  statements: z.number().optional(),
  functions: z.number().optional(),
  branches: z.number().optional(),
});

export const runStatuses = ['running', 'done', 'failed', 'awaiting', 'interrupted'] as const;
export const taskStatuses = ['done', 'failed', 'cancelled', 'awaiting', 'skipped', 'running'] as const;
export const taskOutcomes = ['changed', 'unchanged', 'skipped', 'awaiting'] as const;

const runRecordSchema = z.object({
  id: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  status: z.enum(runStatuses),
  dryRun: z.literal(false),
  /** The run's process; tells a live run from a dead one while it shows `running`. */
  pid: z.number().optional(),
});

const taskRecordSchema = z.object({
  status: z.enum(taskStatuses),
  outcome: z.enum(taskOutcomes).optional(),
  summary: z.string(),
  details: z.array(z.string()).optional(),
  files: z.array(z.string()),
  attempts: z.number(),
  durationMs: z.number(),
  lastRunId: z.string(),
  finishedAt: z.string().optional(),
  fingerprint: z.string(),
  error: z.string().optional(),
  errorFile: z.string().optional(),
  progress: z.object({ done: z.number(), total: z.number(), unit: z.string().optional(), current: z.string().optional() }).optional(),
});

const checkpointRecordSchema = z.object({
  name: z.string(),
  passed: z.boolean(),
  detail: z.string(),
  coverage: coverageSchema.optional(),
  expected: coverageSchema.optional(),
  time: z.string(),
  runId: z.string(),
});

const decisionRecordSchema = z.object({
  decision: z.enum(['approved', 'skipped']),
  by: z.string(),
  note: z.string().optional(),
  time: z.string(),
});

export const snapshotSchema = z.object({
  version: z.literal(1),
  planHash: z.string(),
  updatedAt: z.string(),
  runs: z.array(runRecordSchema),
  tasks: z.record(z.string(), taskRecordSchema),
  checkpoints: z.record(z.string(), z.array(checkpointRecordSchema)),
  decisions: z.record(z.string(), decisionRecordSchema),
  /**
   * Bytes of each run log (by file name) this snapshot has folded in. Kept by
   * the store, not by reduce: it tells exactly whether state.json is current,
   * where file times are too coarse to.
   */
  logs: z.record(z.string(), z.number()).optional(),
});

/** The persisted state; see the module comment for the meaning of each field. */
export type Snapshot = z.infer<typeof snapshotSchema>;
export type RunRecord = z.infer<typeof runRecordSchema>;
export type TaskRecord = z.infer<typeof taskRecordSchema>;
export type CheckpointRecord = z.infer<typeof checkpointRecordSchema>;
export type DecisionRecord = z.infer<typeof decisionRecordSchema>;
export type RunStatus = (typeof runStatuses)[number];
export type TaskStatus = (typeof taskStatuses)[number];

export { emptySnapshot } from './empty-snapshot.js';

/** Parse the text of state.json; an error message when it is not a valid snapshot. */
export function parseSnapshot(text: string): { snapshot: Snapshot } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const result = snapshotSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { error: issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid' };
  }
  return { snapshot: result.data };
}
