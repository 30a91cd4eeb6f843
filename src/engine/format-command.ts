/** How a command line is shown to people: by `plan`, checkpoints and the handlers that run programs. */

/** Render an argv or a shell string as one line a person could paste. */
export function formatCommand(run: string | readonly string[]): string {
  if (typeof run === 'string') return run;
  return run.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}
