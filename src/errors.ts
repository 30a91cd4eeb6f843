/**
 * Error types shared by every layer. A UserError is something the user can fix
 * (bad input, a refused path, a held lock) and carries what to do next; a
 * BugError is our own fault. The CLI maps them to exit codes in one place.
 */
import type { Diagnostic } from './config/diagnostics.js';

/** Exit codes of the CLI; documented in README.md. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  awaiting: 3,
  locked: 4,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface UserErrorOptions {
  hint?: string;
  exitCode?: ExitCodeValue;
  cause?: unknown;
  /** False when trying again cannot help (a task fails at once instead of retrying). */
  retryable?: boolean;
  /** The file the problem concerns, relative to the target root, when known. */
  file?: string;
}

/** A problem with the user's input or environment, with a hint on what to do. */
export class UserError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: ExitCodeValue;
  readonly retryable: boolean | undefined;
  readonly file: string | undefined;
  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.usage;
    this.retryable = options.retryable;
    this.file = options.file;
  }
}

/** One or more located problems in a plan file (its plugins included); all of them, not only the first. */
export class PlanError extends UserError {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    const n = diagnostics.length;
    super(`${n} problem${n === 1 ? '' : 's'} in the plan`, { exitCode: ExitCode.usage });
    this.name = 'PlanError';
    this.diagnostics = diagnostics;
  }
}

/** The name PlanError had before the programmatic API; the same class. */
export { PlanError as ConfigError };

/** Something that cannot happen if the code is right. */
export class BugError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BugError';
  }
}

/** Narrow an unknown thrown value to a message. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
