/**
 * Engine events for reporter tests, built the way the executor stamps them,
 * and a walk through a whole plan that emits a run's events in order.
 */
import type { EngineEvent, EventBody } from '../../src/engine/events.js';
import type { Plan } from '../../src/plan/types.js';

export const RUN_ID = '20261122T070000.000Z-test01';

/** Stamp an event body with a time and the run id. */
export function stamp(body: EventBody, time: number): EngineEvent {
  return { ...body, time, runId: RUN_ID } as EngineEvent;
}

/**
 * Every event of a run of `plan` where each task succeeds on its first attempt,
 * except `flaky` (one retry) and `failing` ones; up to 4 tasks of a parallel
 * group at once; each running command prints two lines. Times advance 200 ms
 * per step from `start`.
 */
export function* walkPlan(plan: Plan, start: number, options: { flaky?: string[]; failing?: string[] } = {}): Generator<EngineEvent> {
  let time = start;
  const at = (body: EventBody) => stamp(body, (time += 200));
  yield at({
    type: 'run:start',
    planFile: plan.source.file,
    planHash: plan.source.sha256,
    root: plan.project.root,
    dryRun: false,
    tasks: plan.phases.flatMap((p) => p.groups.flatMap((g) => g.tasks.map((t) => t.id))),
    phases: plan.phases.map((p) => p.id),
    fingerprints: {},
    pid: 1,
  });
  for (const phase of plan.phases) {
    const phaseStart = time;
    yield at({ type: 'phase:start', phaseId: phase.id });
    for (const group of phase.groups) {
      yield at({ type: 'group:start', phaseId: phase.id, groupId: group.id });
      const width = group.execution === 'parallel' ? 4 : 1;
      for (let i = 0; i < group.tasks.length; i += width) {
        const batch = group.tasks.slice(i, i + width);
        for (const task of batch) {
          yield at({ type: 'task:start', taskId: task.id, phaseId: phase.id, groupId: group.id });
          yield at({ type: 'task:attempt', taskId: task.id, attempt: 1, maxAttempts: task.settings.retries + 1 });
          yield at({ type: 'task:output', taskId: task.id, line: `working on ${task.id}` });
        }
        for (const task of batch) {
          let attempts = 1;
          if (options.flaky?.includes(task.id)) {
            yield at({ type: 'task:retry', taskId: task.id, attempt: 1, maxAttempts: task.settings.retries + 1, error: 'exit code 7', delayMs: 2000 });
            yield at({ type: 'task:attempt', taskId: task.id, attempt: 2, maxAttempts: task.settings.retries + 1 });
            attempts = 2;
          }
          const failed = options.failing?.includes(task.id) === true;
          yield at({
            type: 'task:finish',
            taskId: task.id,
            status: failed ? 'failed' : 'changed',
            summary: failed ? 'command failed' : `did ${task.id}`,
            files: failed ? [] : [`src/${task.id}.ts`],
            attempts,
            durationMs: 400,
            error: failed ? `command failed with exit code 3\nboom` : undefined,
            errorFile: failed ? 'src/broken.ts:12' : undefined,
            fingerprint: 'f',
          });
        }
      }
      yield at({ type: 'group:finish', phaseId: phase.id, groupId: group.id, status: 'done' });
    }
    for (const cp of phase.checkpoints) {
      yield at({ type: 'checkpoint:start', phaseId: phase.id, name: cp.name });
      yield at({
        type: 'checkpoint:finish',
        phaseId: phase.id,
        name: cp.name,
        passed: true,
        detail: 'ok',
        durationMs: 100,
        ...(cp.kind === 'coverage' ? { coverage: { lines: 82.5 }, expected: cp.spec.coverage?.min } : {}),
      });
    }
    yield at({ type: 'phase:finish', phaseId: phase.id, status: 'done', durationMs: time - phaseStart });
  }
}
