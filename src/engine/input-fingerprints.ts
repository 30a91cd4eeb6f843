/**
 * Fold what handlers read at run time (a template's text) into the task
 * fingerprints of a plan, so that resume and `status` treat a done task as
 * outdated when an input changed, not only when its definition did. Only
 * `run` and `status` need this; `plan` and `validate` stay light.
 */
import type { Plan, PlannedTask } from '../plan/types.js';
import { fingerprint } from '../plan/resolve.js';
import { templateDirsFor } from '../templates/built-in.js';
import type { HandlerParts } from './handler.js';

/** Each task's fingerprint of its definition alone, kept the first time its inputs are folded in. */
const definitions = new WeakMap<PlannedTask, string>();

/**
 * Replace each task's fingerprint with one that covers its definition and its
 * handler's inputs as they are now. Folding the same plan again (a plan
 * loaded once, then run and asked for its status) starts from the definition
 * each time, so the result is the same as folding a freshly loaded plan.
 */
export async function foldInputFingerprints(plan: Plan, handlerFor: (type: string) => HandlerParts<never> | undefined): Promise<void> {
  const templates = templateDirsFor(plan);
  const tasks = plan.phases.flatMap((p) => p.groups.flatMap((g) => g.tasks));
  await Promise.all(
    tasks.map(async (task) => {
      const inputs = handlerFor(task.type)?.inputs;
      if (!inputs) return;
      const definition = definitions.get(task) ?? task.fingerprint;
      definitions.set(task, definition);
      try {
        task.fingerprint = fingerprint({ definition, inputs: await inputs(task.spec as never, { templates }) });
      } catch {
        // An input that cannot be read (a missing template) fails the task when it runs; the definition alone decides here.
        task.fingerprint = definition;
      }
    }),
  );
}
