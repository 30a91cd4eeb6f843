/**
 * Fold what handlers read at run time (a template's text) into the task
 * fingerprints of a plan, so that resume and `status` treat a done task as
 * outdated when an input changed, not only when its definition did. Only
 * `run` and `status` need this; `plan` and `validate` stay light.
 */
import type { Plan } from '../plan/types.js';
import { fingerprint } from '../plan/resolve.js';
import { templateDirsFor } from '../templates/built-in.js';
import type { Handler } from './handler.js';

/** Replace each task's fingerprint with one that also covers its handler's inputs. */
export async function foldInputFingerprints(plan: Plan, handlerFor: (type: string) => Handler<never> | undefined): Promise<void> {
  const templates = templateDirsFor(plan);
  const tasks = plan.phases.flatMap((p) => p.groups.flatMap((g) => g.tasks));
  await Promise.all(
    tasks.map(async (task) => {
      const inputs = handlerFor(task.type)?.inputs;
      if (!inputs) return;
      try {
        task.fingerprint = fingerprint({ definition: task.fingerprint, inputs: await inputs(task.spec as never, { templates }) });
      } catch {
        // An input that cannot be read (a missing template) fails the task when it runs; the definition alone decides here.
      }
    }),
  );
}
