/**
 * Makes refusals take effect in a run: a refused task's handler is replaced
 * by one that fails at once (not retried) with the rule's name, and a refused
 * checkpoint fails the same way; neither runs anything.
 */
import type { HandlerParts } from '../engine/handler.js';
import { UserError } from '../errors.js';
import type { Plan } from '../plan/types.js';
import { describeRefusal, type Refusal } from './policy.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyHandler = HandlerParts<any>; // any: handlers differ in their fields; the lookup is typed as the registry's

/** Mark the plan's refused checkpoints, and return a handler lookup that fails refused tasks. */
export function enforceRefusals(
  plan: Plan,
  refusals: readonly Refusal[],
  handlerFor: (type: string) => AnyHandler | undefined,
  hint: string,
): (type: string) => AnyHandler | undefined {
  if (refusals.length === 0) return handlerFor;
  const byTask = new Map(refusals.filter((r) => r.taskId !== undefined).map((r) => [r.taskId!, r]));
  for (const phase of plan.phases) {
    for (const checkpoint of phase.checkpoints) {
      const refusal = refusals.find((r) => r.checkpoint?.phaseId === phase.id && r.checkpoint.name === checkpoint.name);
      if (refusal) checkpoint.refused = `${describeRefusal(refusal)}\nhint: ${hint}`;
    }
  }
  return (type) => {
    const handler = handlerFor(type);
    if (!handler) return handler;
    return {
      ...handler,
      run: (task, ctx) => {
        const refusal = byTask.get(task.id);
        if (refusal) return Promise.reject(new UserError(describeRefusal(refusal), { retryable: false, hint }));
        return handler.run(task, ctx);
      },
    };
  };
}
