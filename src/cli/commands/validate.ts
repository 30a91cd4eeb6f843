/** `orchestrate validate`: schema and graph checks, every problem located, exit 2 on any. */
import { ConfigError, ExitCode } from '../../errors.js';
import { checkPlanFile } from '../../plan/load-plan.js';
import { resolvePlan } from '../../plan/resolve.js';
import type { CliContext } from '../context.js';
import type { GlobalOptions } from '../main.js';
import type { CliIo } from '../io.js';

interface ValidateArgs extends GlobalOptions {
  format: 'text' | 'json';
}

/** Check the plan and report. */
export async function validateCommand(args: ValidateArgs, io: CliIo, context: CliContext): Promise<number> {
  const location = { config: args.config, cwd: args.cwd, processCwd: io.cwd };
  const checked = await checkPlanFile(location, await context.builtIns());
  if (args.format === 'json') {
    const diagnostics = checked.ok ? [] : checked.diagnostics.map(({ excerpt: _excerpt, ...d }) => d);
    io.stdout.write(`${JSON.stringify({ valid: checked.ok, diagnostics }, null, 2)}\n`);
    if (!checked.ok) return ExitCode.usage;
  }
  if (!checked.ok) throw new ConfigError(checked.diagnostics);
  // Resolve what was checked instead of loading the file again: a plan piped in
  // (--config /dev/stdin) can be read only once. The root is not shown here.
  const { source, config } = checked.loaded;
  const plan = resolvePlan(config, { source: { file: source.file, sha256: source.sha256 }, root: io.cwd, registry: checked.registry });
  if (args.format === 'json') return ExitCode.ok;
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

