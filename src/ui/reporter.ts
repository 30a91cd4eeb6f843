/**
 * Reporters are event subscribers with a closing word. They are looked up by
 * name and loaded only when chosen, so a plain run never loads the Ink tree.
 */
import type { Writable } from 'node:stream';
import type { EngineEvent } from '../engine/events.js';
import type { RunResult } from '../engine/executor.js';
import type { Style } from '../plan/render/style.js';
import type { Plan } from '../plan/types.js';
import type { RecapContext } from './recap.js';

export interface Reporter {
  onEvent(event: EngineEvent): void;
  /** Called once with the run's result: print the recap, close files. */
  finish(result: RunResult): void | Promise<void>;
  /** Take live output off the terminal while a person answers a question. */
  pause?(): void;
  /** Draw again after `pause`. */
  resume?(): void;
  /** The run ended without a result (an error): stop drawing so the message shows whole. */
  close?(): void | Promise<void>;
}

export interface ReporterOptions {
  /** Where progress goes: stdout for plain, json and github; the terminal (stderr) for ink. */
  stream: Writable;
  /** The style of `stream`. */
  style: Style;
  verbose: boolean;
  /** Standard output, for data (a dry run's diffs) when `stream` is stderr. */
  stdout?: Writable;
  /** The environment (the GitHub reporter reads GITHUB_STEP_SUMMARY and GITHUB_OUTPUT). */
  env?: NodeJS.ProcessEnv;
  /** For the recap's "Next:" lines. */
  recap?: RecapContext | undefined;
}

export type ReporterName = 'ink' | 'plain' | 'json' | 'github';
export const REPORTER_NAMES: readonly ReporterName[] = ['ink', 'plain', 'json', 'github'];

/** Reporters that draw on stderr (stdout stays free for data). */
export const DRAWS_ON_STDERR: ReadonlySet<ReporterName> = new Set(['ink']);

/**
 * The reporter used when none is named: github inside GitHub Actions; plain
 * when stdout or stderr is not a terminal, CI is detected, or the terminal
 * reports no size (a bare pseudo-terminal); else the Ink tree.
 */
export function defaultReporter(
  env: NodeJS.ProcessEnv,
  streams: { stdout: { isTTY?: boolean }; stderr: { isTTY?: boolean; rows?: number } },
  isCI: boolean,
): ReporterName {
  if (env.GITHUB_ACTIONS === 'true') return 'github';
  if (isCI || streams.stdout.isTTY !== true || streams.stderr.isTTY !== true || !streams.stderr.rows || env.TERM === 'dumb') return 'plain';
  return 'ink';
}

/**
 * Start loading a reporter's code without waiting for it, so that it overlaps
 * the plan's loading and the git checks instead of following them;
 * `createReporter` then finds it loaded. For the Ink reporter this is its own
 * small module only: it paints the first frame itself and loads ink, react
 * and yoga after that, since compiling them here would hold up the plan's
 * loading, and so the first frame, on the one thread. A failure is left for
 * `createReporter` to report.
 */
export function preloadReporter(name: ReporterName): void {
  if (name !== 'ink') return;
  import('./ink-reporter.js').catch(() => undefined);
}

/** Load and create a reporter by name. */
export async function createReporter(name: ReporterName, plan: Plan, options: ReporterOptions): Promise<Reporter> {
  switch (name) {
    case 'ink':
      return (await import('./ink-reporter.js')).createInkReporter(plan, options);
    case 'github':
      return (await import('./github-reporter.js')).createGithubReporter(plan, options);
    case 'json':
      return (await import('./json-reporter.js')).createJsonReporter(plan, options);
    case 'plain':
      return (await import('./plain-reporter.js')).createPlainReporter(plan, options);
  }
}
