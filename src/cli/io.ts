/**
 * The terminal as the CLI sees it: the two streams, whether each may be
 * coloured (TTY, NO_COLOR, FORCE_COLOR, --no-color), and the environment.
 * Commands take a CliIo instead of touching process globals, so tests and
 * `main()` can run them anywhere.
 */
import type { Writable } from 'node:stream';
import { ansiStyle, plainStyle, type Style } from '../plan/render/style.js';

export interface CliIo {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Styles for each stream, already decided. */
  out: Style;
  err: Style;
}

/** Decide colour per stream: a flag decides (--color forces, --no-color refuses), then NO_COLOR, FORCE_COLOR, else only on a TTY. */
export function colourFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** The process's own terminal. */
export function processIo(colourFlag: boolean | undefined): CliIo {
  const { stdout, stderr, env } = process;
  return {
    stdout,
    stderr,
    env,
    cwd: process.cwd(),
    out: colourFor(stdout, env, colourFlag) ? ansiStyle : plainStyle,
    err: colourFor(stderr, env, colourFlag) ? ansiStyle : plainStyle,
  };
}

/** Write text, adding a final newline when it lacks one. */
export function writeLine(stream: Writable, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}
