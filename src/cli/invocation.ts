/**
 * Suggested commands must be the command to type: the options that chose the
 * plan and the target (`--config`, `--cwd`) are kept as they were given, or a
 * suggestion would run against another plan.
 */
import type { GlobalOptions } from './main.js';

/** ` --config PATH --cwd DIR` as given (empty when neither was), to append to a suggested command. */
export function keptOptions(args: Pick<GlobalOptions, 'config' | 'cwd'>): string {
  let kept = '';
  if (args.config !== undefined) kept += ` --config ${shellWord(args.config)}`;
  if (args.cwd !== undefined) kept += ` --cwd ${shellWord(args.cwd)}`;
  return kept;
}

/** `orchestrate <rest>` with the kept options. */
export function suggest(args: Pick<GlobalOptions, 'config' | 'cwd'>, rest: string): string {
  return `orchestrate ${rest}${keptOptions(args)}`;
}

/** A word the shell reads back unchanged. */
export function shellWord(text: string): string {
  return /^[\w./@%+=:,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
