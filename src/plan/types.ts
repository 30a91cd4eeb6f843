/**
 * The resolved plan: what `plan` shows and the executor runs. Settings are
 * effective (defaults cascaded plan -> phase -> group -> task), dependencies
 * explicit, waves computed.
 */
import type { CheckpointConfig, CoverageFigures, TaskConfig } from '../config/schema.js';

export interface Backoff {
  initialMs: number;
  factor: number;
  maxMs: number;
  jitter: boolean;
}

export interface TaskSettings {
  retries: number;
  backoff: Backoff;
  timeoutMs: number;
  continueOnError: boolean;
}

export interface PlannedTask {
  id: string;
  name: string;
  type: string;
  /** What the task will do, in one line. */
  description: string;
  /** Files the task will touch, when knowable before running. */
  touches: string[];
  phaseId: string;
  groupId: string;
  settings: TaskSettings;
  variables: Record<string, unknown>;
  /** The validated task as written; handlers receive it. */
  spec: TaskConfig;
  /** Hash of the task's definition; a change means the task must run again. */
  fingerprint: string;
}

export interface PlannedGroup {
  id: string;
  /** `phase/group`, unique across the plan. */
  key: string;
  name: string;
  phaseId: string;
  execution: 'sequential' | 'parallel';
  /** For parallel groups: how many tasks at once (sequential groups: 1). */
  maxParallel: number;
  dependsOn: string[];
  dependents: string[];
  /** 1-based wave within the phase. */
  wave: number;
  continueOnError: boolean;
  tasks: PlannedTask[];
}

export interface PlannedCheckpoint {
  name: string;
  kind: 'run' | 'coverage';
  spec: CheckpointConfig;
  timeoutMs: number;
  /** Set when trust forbids running it: the reason, shown as its failure. */
  refused?: string | undefined;
}

export interface PlannedPhase {
  id: string;
  name: string;
  description: string | undefined;
  dependsOn: string[];
  dependents: string[];
  parallelWith: string[];
  /** 1-based wave: phases of one wave may run at the same time. */
  wave: number;
  maxParallel: number;
  expectedCoverage: CoverageFigures | undefined;
  groups: PlannedGroup[];
  checkpoints: PlannedCheckpoint[];
}

export interface Plan {
  project: { name: string; root: string };
  source: { file: string; sha256: string };
  settings: { maxParallel: number; failFast: boolean };
  variables: Record<string, unknown>;
  /** The plan's `templates_dir`, absolute once loaded. */
  templatesDir: string | undefined;
  /** Phase ids by wave. */
  waves: string[][];
  phases: PlannedPhase[];
}

/** Built-in defaults, used where the plan says nothing. */
export const BUILTIN_DEFAULTS = {
  retries: 0,
  backoff: { initialMs: 1_000, factor: 2, maxMs: 30_000, jitter: true } satisfies Backoff,
  timeoutMs: 10 * 60_000,
  maxParallel: 4,
  failFast: false,
  continueOnError: false,
  checkpointTimeoutMs: 30 * 60_000,
} as const;
