/** `orchestrate validate`: schema, plugin and graph checks (the API's `validatePlan`), every problem located, exit 2 on any. */
import { validatePlan } from '../../api/load.js';
import { ConfigError, ExitCode } from '../../errors.js';
import { planOptionsOf, prepareSettings } from '../../settings/prepare.js';
import { formatterRefusals } from '../../trust/formatter-config.js';
import { untrustedRefusals, type Refusal } from '../../trust/policy.js';
import type { CliContext } from '../context.js';
import { refusalLines } from '../refusal-lines.js';
import type { CliIo } from '../io.js';
import type { GlobalOptions } from '../main.js';

interface ValidateArgs extends GlobalOptions {
  format: 'text' | 'json';
}

/** Check the plan and report. */
export async function validateCommand(args: ValidateArgs, io: CliIo, context: CliContext): Promise<number> {
  const prepared = await prepareSettings({ flags: args, config: args.config, cwd: args.cwd, processCwd: io.cwd, env: io.env, debug: (line) => io.stderr.write(`${line}\n`) });
  const untrusted = prepared.settings.trust.value === 'untrusted';
  const { location } = prepared;
  const checked = await validatePlan(context, { ...planOptionsOf(location), adjustDefaults: undefined });
  // Under untrusted, what a run would refuse (the plan is still valid).
  let refusals: Refusal[] = [];
  if (checked.valid && untrusted) {
    refusals = [...untrustedRefusals(checked.plan, checked.loaded.raw, prepared.settings.untrusted.allow), ...(await formatterRefusals(checked.plan))];
  }
  if (args.format === 'json') {
    const diagnostics = checked.valid ? [] : checked.diagnostics.map(({ excerpt: _excerpt, ...d }) => d);
    const trust = untrusted ? { trust: 'untrusted', refused: refusals.map(({ rule, subject, taskId, checkpoint, message }) => ({ rule, subject, taskId, checkpoint, message })) } : {};
    io.stdout.write(`${JSON.stringify({ valid: checked.valid, diagnostics, ...trust }, null, 2)}\n`);
    return checked.valid ? ExitCode.ok : ExitCode.usage;
  }
  if (!checked.valid) throw new ConfigError(checked.diagnostics);
  const { plan } = checked;
  const groups = plan.phases.flatMap((p) => p.groups);
  const tasks = groups.flatMap((g) => g.tasks).length;
  io.stdout.write(
    `${io.out.green('✓')} ${plan.source.file} is valid: ${count(plan.phases.length, 'phase')}, ${count(groups.length, 'group')}, ${count(tasks, 'task')} in ${count(plan.waves.length, 'wave')}\n`,
  );
  if (untrusted) io.stdout.write(`${refusalLines(refusals, io.out)}\n`);
  return ExitCode.ok;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
