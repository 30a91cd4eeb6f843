/**
 * Reporters are event subscribers with a closing word. They are looked up by
 * name and loaded only when chosen, so a plain run never loads the Ink tree.
 */
import type { Writable } from 'node:stream';
import type { EngineEvent } from '../engine/events.js';
import type { RunResult } from '../engine/executor.js';
import type { Style } from '../plan/render/style.js';
import type { Plan } from '../plan/types.js';

export interface Reporter {
  onEvent(event: EngineEvent): void;
  /** Called once with the run's result: print the recap, close files. */
  finish(result: RunResult): void | Promise<void>;
}

export interface ReporterOptions {
  stream: Writable;
  style: Style;
  verbose: boolean;
}

export type ReporterName = 'plain' | 'json';
export const REPORTER_NAMES: readonly ReporterName[] = ['plain', 'json'];

/** Load and create a reporter by name. */
export async function createReporter(name: ReporterName, plan: Plan, options: ReporterOptions): Promise<Reporter> {
  switch (name) {
    case 'json':
      return (await import('./json-reporter.js')).createJsonReporter(plan, options);
    case 'plain':
      return (await import('./plain-reporter.js')).createPlainReporter(plan, options);
  }
}
