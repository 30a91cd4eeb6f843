/** What the executor needs from the persisted state: which tasks and phases an earlier run finished. */
import type { Plan } from '../plan/types.js';
import type { Snapshot } from '../state/snapshot-schema.js';
import type { PreviousState } from './executor.js';

/** The executor's view of a snapshot. */
export function previousFromSnapshot(plan: Plan, snapshot: Snapshot): PreviousState {
  const checkpointsPassed: Record<string, boolean> = {};
  for (const phase of plan.phases) {
    if (phase.checkpoints.length === 0) continue;
    const records = snapshot.checkpoints[phase.id] ?? [];
    // A pass counts only if it came after the phase's last task finished: a run
    // that redid a task and died before its checkpoints leaves an older pass
    // that says nothing about the work as it is now.
    const lastFinished = phase.groups
      .flatMap((g) => g.tasks)
      .map((t) => snapshot.tasks[t.id]?.finishedAt ?? '')
      .reduce((latest, time) => (time > latest ? time : latest), '');
    checkpointsPassed[phase.id] = phase.checkpoints.every((c) => {
      const record = records.find((r) => r.name === c.name);
      return record?.passed === true && Date.parse(record.time) >= Date.parse(lastFinished || record.time);
    });
  }
  const fingerprints = new Map(plan.phases.flatMap((p) => p.groups.flatMap((g) => g.tasks.map((t) => [t.id, t.fingerprint] as const))));
  const tasks: PreviousState['tasks'] = {};
  for (const [id, record] of Object.entries(snapshot.tasks)) {
    // A manual task settled by `approve`/`skip` before any run has no fingerprint: the decision stands for today's task.
    const fingerprint = record.fingerprint === '' && snapshot.decisions[id] ? (fingerprints.get(id) ?? '') : record.fingerprint;
    const finished = record.finishedAt ? Date.parse(record.finishedAt) : Number.NaN;
    tasks[id] = { status: record.status, fingerprint, files: record.files, ...(Number.isFinite(finished) && { startedAt: finished - record.durationMs }) };
  }
  return { tasks, checkpointsPassed };
}

/** A phase is done when every task is done (or settled) with today's definition and its checkpoints passed. */
export function isPhaseDone(plan: Plan, previous: PreviousState, phaseId: string): boolean {
  const phase = plan.phases.find((p) => p.id === phaseId);
  if (!phase) return false;
  const tasksDone = phase.groups.every((g) =>
    g.tasks.every((t) => {
      const record = previous.tasks[t.id];
      return !!record && (record.status === 'done' || record.status === 'skipped') && record.fingerprint === t.fingerprint;
    }),
  );
  return tasksDone && (phase.checkpoints.length === 0 || previous.checkpointsPassed[phaseId] === true);
}
