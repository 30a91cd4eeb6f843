/** `orchestrate validate`: schema, plugin and graph checks (the API's `validatePlan`), every problem located, exit 2 on any. */
import { validatePlan } from '../../api/load.js';
import { ConfigError, ExitCode } from '../../errors.js';
import type { CliContext } from '../context.js';
import type { CliIo } from '../io.js';
import type { GlobalOptions } from '../main.js';

interface ValidateArgs extends GlobalOptions {
  format: 'text' | 'json';
}

/** Check the plan and report. */
export async function validateCommand(args: ValidateArgs, io: CliIo, context: CliContext): Promise<number> {
  const checked = await validatePlan(context, { config: args.config, cwd: args.cwd, base: io.cwd });
  if (args.format === 'json') {
    const diagnostics = checked.valid ? [] : checked.diagnostics.map(({ excerpt: _excerpt, ...d }) => d);
    io.stdout.write(`${JSON.stringify({ valid: checked.valid, diagnostics }, null, 2)}\n`);
    return checked.valid ? ExitCode.ok : ExitCode.usage;
  }
  if (!checked.valid) throw new ConfigError(checked.diagnostics);
  const { plan } = checked;
  const groups = plan.phases.flatMap((p) => p.groups);
  const tasks = groups.flatMap((g) => g.tasks).length;
  io.stdout.write(
    `${io.out.green('✓')} ${plan.source.file} is valid: ${count(plan.phases.length, 'phase')}, ${count(groups.length, 'group')}, ${count(tasks, 'task')} in ${count(plan.waves.length, 'wave')}\n`,
  );
  return ExitCode.ok;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
