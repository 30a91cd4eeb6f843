/**
 * The handler registry: the task types one plan may use, each with where it
 * came from. The composition root builds it (the built-in handlers, then the
 * plugins the plan names, registered the same way) and passes it to loading,
 * planning, running and status; nothing in src/ knows a task type by name.
 *
 * A handler is registered whole (`register`, what a plugin does) or deferred
 * (`registerDeferred`, what the built-ins do): its parts without the schema
 * now, the whole handler loaded by `load()` when a plan is to be checked. So
 * a plan taken from the cache is shown, planned and run without loading any
 * schema code.
 */
import { BugError, UserError } from '../errors.js';
import type { Handler, HandlerParts } from './handler.js';
import { handlerShapeProblems } from './handler-shape.js';

// Handlers are generic over their own fields; the registry holds them side by side.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHandler = Handler<any>; // any: each entry's field type differs, checked by its own schema
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHandlerParts = HandlerParts<any>; // any: as for AnyHandler

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

/** One task type. Shared by a registry and its copies, so that loading it once serves them all. */
interface Entry {
  parts: AnyHandlerParts;
  /** The whole handler: given, or once loaded. */
  handler: AnyHandler | undefined;
  /** Loads the whole handler of a deferred entry. */
  load: (() => Promise<unknown>) | undefined;
  origin: HandlerOrigin;
}

export class HandlerRegistry {
  private readonly entries = new Map<string, Entry>();

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
    this.add({ parts: checked, handler: checked, load: undefined, origin });
    return checked;
  }

  /**
   * Add a handler's parts without its schema, and how to load the whole
   * handler (its module with the schema) when `load()` is called; the same
   * checks as `register` otherwise.
   */
  registerDeferred(parts: unknown, load: () => Promise<unknown>, origin: HandlerOrigin): AnyHandlerParts {
    const problems = handlerShapeProblems(parts, { schema: false });
    if (problems.length > 0) {
      throw new HandlerRegistrationError(`${describeOrigin(origin)} does not export a valid handler`, problems, 'export the contract described in docs/plugins.md');
    }
    const checked = parts as AnyHandlerParts;
    this.add({ parts: checked, handler: undefined, load, origin });
    return checked;
  }

  /**
   * Load the whole handler of every deferred entry (at most once each); to be
   * awaited before anything reads a handler's schema (`handlers()`).
   */
  async load(): Promise<this> {
    await Promise.all([...this.entries.values()].map((entry) => loadEntry(entry)));
    return this;
  }

  /** What a task type's handler does (all but its schema), or undefined. */
  handlerFor(type: string): AnyHandlerParts | undefined {
    const entry = this.entries.get(type);
    return entry?.handler ?? entry?.parts;
  }

  /** Where a task type's handler came from. */
  originOf(type: string): HandlerOrigin | undefined {
    return this.entries.get(type)?.origin;
  }

  /** The known task type names, in registration order. */
  types(): string[] {
    return [...this.entries.keys()];
  }

  /** Every handler whole, in registration order; only after `load()` when any was deferred. */
  handlers(): AnyHandler[] {
    return [...this.entries.entries()].map(([type, entry]) => {
      if (!entry.handler) throw new BugError(`the handler of "${type}" is not loaded yet: await registry.load() before reading handlers' schemas`);
      return entry.handler;
    });
  }

  private add(entry: Entry): void {
    const type = entry.parts.type;
    const taken = this.entries.get(type);
    if (taken) {
      throw new HandlerRegistrationError(
        `${describeOrigin(entry.origin)} defines task type "${type}"`,
        [taken.origin.kind === 'built-in' ? `"${type}" is a built-in task type` : `"${type}" is already defined by ${describeOrigin(taken.origin)}`],
        'give the plugin\'s handler another `type`, or drop one of the two',
      );
    }
    this.entries.set(type, entry);
  }
}

const loading = new WeakMap<Entry, Promise<void>>();

/** Load a deferred entry's whole handler once; it must be a handler of the same type. */
function loadEntry(entry: Entry): Promise<void> {
  if (entry.handler || !entry.load) return Promise.resolve();
  let pending = loading.get(entry);
  if (!pending) {
    const load = entry.load;
    pending = (async () => {
      const handler = await load();
      const problems = handlerShapeProblems(handler);
      const type = (handler as { type?: unknown } | null)?.type;
      if (type !== entry.parts.type) problems.push(`it loads the handler of ${JSON.stringify(type)} for "${entry.parts.type}"`);
      if (problems.length > 0) {
        throw new HandlerRegistrationError(`${describeOrigin(entry.origin)} does not load a valid handler`, problems, 'export the contract described in docs/plugins.md');
      }
      entry.handler = handler as AnyHandler;
    })();
    loading.set(entry, pending);
  }
  return pending;
}

function describeOrigin(origin: HandlerOrigin): string {
  return origin.kind === 'built-in' ? `built-in handler ${origin.name}` : `the plugin ${origin.name}`;
}
