/** `orchestrate validate`: schema and graph checks, every problem located, exit 2 on any. */
import path from 'node:path';
import { ConfigError, ExitCode } from '../../errors.js';
import { checkPlanFile } from '../../plan/load-plan.js';
import { resolvePlan } from '../../plan/resolve.js';
import type { GlobalOptions } from '../main.js';
import { prepareSettings } from '../../settings/prepare.js';
import { formatterRefusals } from '../../trust/formatter-config.js';
import { untrustedRefusals, type Refusal } from '../../trust/policy.js';
import { refusalLines } from '../refusal-lines.js';
import type { CliIo } from '../io.js';

interface ValidateArgs extends GlobalOptions {
  format: 'text' | 'json';
}

/** Check the plan and report. */
export async function validateCommand(args: ValidateArgs, io: CliIo): Promise<number> {
  const prepared = await prepareSettings({ flags: args, config: args.config, cwd: args.cwd, processCwd: io.cwd, env: io.env });
  const untrusted = prepared.settings.trust.value === 'untrusted';
  const checked = await checkPlanFile(prepared.location);
  // Under untrusted, what a run would refuse (the plan is still valid).
  let refusals: Refusal[] = [];
  if (checked.ok && untrusted) {
    // The target root as `run` would have it, so the formatter check looks at the right files
    // (resolved here, not loaded again: a plan piped in can be read only once).
    const { config } = checked.loaded;
    const root = args.cwd ? path.resolve(io.cwd, args.cwd) : config.project?.root ? path.resolve(path.dirname(checked.file), config.project.root) : io.cwd;
    const plan = resolvePlan(config, { source: checked.loaded.source, root });
    refusals = [...untrustedRefusals(plan, checked.loaded.raw, prepared.settings.untrusted.allow), ...(await formatterRefusals(plan))];
  }
  if (args.format === 'json') {
    const diagnostics = checked.ok ? [] : checked.diagnostics.map(({ excerpt: _excerpt, ...d }) => d);
    const trust = untrusted ? { trust: 'untrusted', refused: refusals.map(({ rule, subject, taskId, checkpoint, message }) => ({ rule, subject, taskId, checkpoint, message })) } : {};
    io.stdout.write(`${JSON.stringify({ valid: checked.ok, diagnostics, ...trust }, null, 2)}\n`);
    if (!checked.ok) return ExitCode.usage;
  }
  if (!checked.ok) throw new ConfigError(checked.diagnostics);
  // Resolve what was checked instead of loading the file again: a plan piped in
  // (--config /dev/stdin) can be read only once. The root is not shown here.
  const { source, config } = checked.loaded;
  const plan = resolvePlan(config, { source: { file: source.file, sha256: source.sha256 }, root: io.cwd });
  if (args.format === 'json') return ExitCode.ok;
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

