/**
 * What the settings layer needs from a plan before loading it: the target
 * root its `project.root` names (to find the repository's settings file) and
 * whether it names plugins (refused early under untrusted). Read from the
 * parsed data, or from the cache without parsing at all.
 */
import path from 'node:path';

export interface PlanPeek {
  /** `project.root` resolved against the plan's folder; null when absent or written with `${VAR}`. */
  root: string | null;
  /** Whether the plan names any `handlers:` plugin. */
  handlers: boolean;
}

/** The peek of a plan's raw (unexpanded) data; `planFile` is absolute. */
export function peekOf(raw: unknown, planFile: string): PlanPeek {
  const data = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as { project?: { root?: unknown }; handlers?: unknown }) : undefined;
  const written = data?.project?.root;
  const root = typeof written === 'string' && !written.includes('${') ? path.resolve(path.dirname(planFile), written) : null;
  return { root, handlers: namesPlugins(data?.handlers) };
}

/** Whether a `handlers:` value names plugins (absent, null and an empty list do not). */
export function namesPlugins(handlers: unknown): boolean {
  return handlers !== undefined && handlers !== null && !(Array.isArray(handlers) && handlers.length === 0);
}
