/**
 * Captures what each phase (or group) changed at the moment it finishes, so
 * that its commit holds exactly its own files with the content they had
 * then, even when other phases run beside it or later phases edit the same
 * files before the commits are built. Fed the run's events synchronously;
 * reads the finished unit's files at once (a few files, read whole).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EngineEvent } from '../engine/events.js';
import type { Plan } from '../plan/types.js';
import type { Snapshot } from '../state/snapshot.js';

/** One file as captured: its bytes and whether it is executable, or `deleted`. */
export type CapturedFile = { content: Buffer; executable: boolean } | 'deleted';

/** A finished phase or group and the files its tasks changed, in the order units finished. */
export interface CapturedUnit {
  phaseId: string;
  /** Set when commits are made per group. */
  groupId: string | undefined;
  status: 'done' | 'awaiting';
  /** Root-relative path -> content when the unit finished. */
  files: Map<string, CapturedFile>;
}

export type CommitPer = 'phase' | 'group';

/** Listens to a run's events and keeps the finished units. */
export class ChangeCapture {
  readonly units: CapturedUnit[] = [];

  constructor(
    private readonly plan: Plan,
    private readonly root: string,
    private readonly per: CommitPer,
    /** The state as of the latest event: task files of this run and of earlier ones. */
    private readonly snapshot: () => Snapshot,
  ) {}

  /** Feed one event (after the state store has recorded it). */
  onEvent(event: EngineEvent): void {
    if (this.per === 'phase' && event.type === 'phase:finish') this.finished(event.phaseId, undefined, event.status);
    if (this.per === 'group' && event.type === 'group:finish') this.finished(event.phaseId, event.groupId, event.status);
  }

  private finished(phaseId: string, groupId: string | undefined, status: string): void {
    if (status !== 'done' && status !== 'awaiting') return;
    const phase = this.plan.phases.find((candidate) => candidate.id === phaseId);
    const groups = (phase?.groups ?? []).filter((group) => groupId === undefined || group.id === groupId);
    const tasks = this.snapshot().tasks;
    const paths = new Set<string>();
    for (const group of groups) {
      for (const task of group.tasks) {
        for (const file of tasks[task.id]?.files ?? []) paths.add(file);
        // What the task says it touches, too: a rerun that found its work done reports no files,
        // yet the work may not be committed anywhere. Only files that differ from the parent land.
        for (const file of task.touches) if (!/[*?[\]{}]/.test(file)) paths.add(file);
      }
    }
    const files = new Map<string, CapturedFile>();
    for (const file of [...paths].sort()) files.set(file, this.read(file));
    this.units.push({ phaseId, groupId, status, files });
  }

  private read(file: string): CapturedFile {
    const absolute = path.join(this.root, file);
    try {
      const info = fs.lstatSync(absolute);
      if (!info.isFile()) return 'deleted';
      return { content: fs.readFileSync(absolute), executable: (info.mode & 0o111) !== 0 };
    } catch {
      return 'deleted';
    }
  }
}
