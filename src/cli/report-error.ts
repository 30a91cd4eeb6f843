/**
 * The one place errors become messages and exit codes. Users see what went
 * wrong and what to do; a stack trace only for our own bugs, and only when
 * ORCHESTRATE_DEBUG is set.
 */
import { renderDiagnostic } from '../config/diagnostics.js';
import { ConfigError, ExitCode, UserError } from '../errors.js';
import type { CliIo } from './io.js';

/**
 * Print an error for people and return the exit code it maps to. `keep` is
 * ` --config ... --cwd ...` as the command was given: a command a hint
 * suggests gets it, so that it reaches the same plan.
 */
export function reportError(error: unknown, io: CliIo, keep = ''): number {
  const { err } = io;
  if (error instanceof ConfigError) {
    for (const d of error.diagnostics) io.stderr.write(`${colourDiagnostic(renderDiagnostic(d), io)}\n\n`);
    const n = error.diagnostics.length;
    io.stderr.write(`${err.red(`${n} problem${n === 1 ? '' : 's'}`)} in ${error.diagnostics[0]?.file ?? 'the plan'}\n`);
    return error.exitCode;
  }
  if (error instanceof UserError) {
    io.stderr.write(`${err.red('error:')} ${error.message}\n`);
    if (error.hint) io.stderr.write(`${err.dim('hint:')} ${withKeptOptions(error.hint, keep)}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`${err.red('internal error:')} ${message}\n`);
  io.stderr.write(`${err.dim('hint:')} this is a bug in orchestrate; run again with ORCHESTRATE_DEBUG=1 to see where it happened, and report it\n`);
  if (io.env.ORCHESTRATE_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return ExitCode.failed;
}

/** Append the kept options to each `orchestrate ...` command (in backticks or parentheses) that lacks them. */
function withKeptOptions(hint: string, keep: string): string {
  if (!keep) return hint;
  return hint.replace(/([`(])orchestrate ([^`()]*?)([`)])/g, (whole, open: string, rest: string, close: string) =>
    /--config|--cwd/.test(rest) ? whole : `${open}orchestrate ${rest}${keep}${close}`,
  );
}

function colourDiagnostic(text: string, io: CliIo): string {
  const { err } = io;
  return text
    .split('\n')
    .map((line, i) => {
      if (i === 0) return err.bold(line);
      if (line.startsWith('  error: ')) return `  ${err.red('error:')}${line.slice('  error:'.length)}`;
      if (line.startsWith('  hint: ')) return `  ${err.dim('hint:')}${line.slice('  hint:'.length)}`;
      if (/^\s+\|?\s*\^+$/.test(line.replace(/\d/g, ''))) return err.red(line);
      return line;
    })
    .join('\n');
}
