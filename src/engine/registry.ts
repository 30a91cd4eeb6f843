/**
 * The handler registry: the task types one plan may use, each with where it
 * came from. The composition root builds it (the built-in handlers, then the
 * plugins the plan names, registered the same way) and passes it to loading,
 * planning, running and status; nothing in src/ knows a task type by name.
 */
import { UserError } from '../errors.js';
import type { Handler } from './handler.js';
import { handlerShapeProblems } from './handler-shape.js';

// Handlers are generic over their own fields; the registry holds them side by side.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHandler = Handler<any>; // any: each entry's field type differs, checked by its own schema

/** Where a handler came from: shipped with orchestrate, or a plugin module named by the plan. */
export interface HandlerOrigin {
  kind: 'built-in' | 'plugin';
  /** For a plugin, the `handlers:` entry as the plan writes it. */
  name: string;
}

/** A handler that cannot be registered, with every reason. */
export class HandlerRegistrationError extends UserError {
  readonly problems: readonly string[];
  constructor(message: string, problems: readonly string[], hint: string) {
    super(`${message}: ${problems.join('; ')}`, { hint });
    this.name = 'HandlerRegistrationError';
    this.problems = problems;
  }
}

export class HandlerRegistry {
  private readonly entries = new Map<string, { handler: AnyHandler; origin: HandlerOrigin }>();

  /** A registry of these handlers, each registered like a plugin would be. */
  static of(handlers: readonly unknown[], origin: HandlerOrigin): HandlerRegistry {
    const registry = new HandlerRegistry();
    for (const handler of handlers) registry.register(handler, origin);
    return registry;
  }

  /** A new registry with the same handlers, to which a plan's plugins can be added. */
  copy(): HandlerRegistry {
    const copy = new HandlerRegistry();
    for (const [type, entry] of this.entries) copy.entries.set(type, entry);
    return copy;
  }

  /** Add a handler; throws HandlerRegistrationError when it is not one or its type is taken. */
  register(handler: unknown, origin: HandlerOrigin): AnyHandler {
    const problems = handlerShapeProblems(handler);
    if (problems.length > 0) {
      throw new HandlerRegistrationError(`${describeOrigin(origin)} does not export a valid handler`, problems, 'export the contract described in docs/plugins.md');
    }
    const checked = handler as AnyHandler;
    const taken = this.entries.get(checked.type);
    if (taken) {
      throw new HandlerRegistrationError(
        `${describeOrigin(origin)} defines task type "${checked.type}"`,
        [taken.origin.kind === 'built-in' ? `"${checked.type}" is a built-in task type` : `"${checked.type}" is already defined by ${describeOrigin(taken.origin)}`],
        'give the plugin\'s handler another `type`, or drop one of the two',
      );
    }
    this.entries.set(checked.type, { handler: checked, origin });
    return checked;
  }

  /** The handler of a task type, or undefined. */
  handlerFor(type: string): AnyHandler | undefined {
    return this.entries.get(type)?.handler;
  }

  /** Where a task type's handler came from. */
  originOf(type: string): HandlerOrigin | undefined {
    return this.entries.get(type)?.origin;
  }

  /** The known task type names, in registration order. */
  types(): string[] {
    return [...this.entries.keys()];
  }

  /** Every handler, in registration order. */
  handlers(): AnyHandler[] {
    return [...this.entries.values()].map((entry) => entry.handler);
  }
}

function describeOrigin(origin: HandlerOrigin): string {
  return origin.kind === 'built-in' ? `built-in handler ${origin.name}` : `the plugin ${origin.name}`;
}
