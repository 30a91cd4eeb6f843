/** `orchestrate approve TASK` / `skip TASK`: settle a manual task outside a live run. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { UserError } from '../../errors.js';
import { acquireLock } from '../../state/lock.js';
import { StateStore } from '../../state/store.js';
import { suggest } from '../invocation.js';
import { loadPlanUnderSettings } from '../../settings/prepare.js';
import type { CliIo } from '../io.js';
import type { CliContext } from '../context.js';
import type { GlobalOptions } from '../main.js';

interface DecideArgs extends GlobalOptions {
  task: string;
  note: string | undefined;
}

/** Record an approval. */
export function approveCommand(args: DecideArgs, io: CliIo, context: CliContext): Promise<number> {
  return decide('approved', args, io, context);
}

/** Record a skip. */
export function skipCommand(args: DecideArgs, io: CliIo, context: CliContext): Promise<number> {
  return decide('skipped', args, io, context);
}

async function decide(decision: 'approved' | 'skipped', args: DecideArgs, io: CliIo, context: CliContext): Promise<number> {
  const { plan } = await loadPlanUnderSettings(args, io, context);
  const task = plan.phases.flatMap((p) => p.groups.flatMap((g) => g.tasks)).find((t) => t.id === String(args.task));
  if (!task) throw new UserError(`no task "${args.task}" in ${plan.source.file}`, { hint: `see \`${suggest(args, 'status')}\` for task ids` });
  if (task.type !== 'manual') {
    throw new UserError(`task ${task.id} is a ${task.type} task; only manual tasks are approved or skipped`, {
      hint: decision === 'skipped' ? 'to leave it out of a run, select other tasks with --task or --group' : `run it with: ${suggest(args, `run --task ${task.id}`)}`,
    });
  }
  const lock = await acquireLock(plan.project.root, { command: `orchestrate ${decision === 'approved' ? 'approve' : 'skip'} ${task.id}` });
  try {
    const by = whoAmI(plan.project.root, io.env);
    const { warnings } = StateStore.appendDecision(plan.project.root, { taskId: task.id, decision, by, note: args.note });
    for (const warning of warnings) io.stderr.write(`${io.err.yellow('warning:')} ${warning}\n`);
    io.stdout.write(`${io.out.green('✓')} ${task.id} ${task.name}: ${decision} by ${by}\n`);
  } finally {
    await lock.release();
  }
  return 0;
}

/** Who decided: git's user, else the CI actor, else the login name. */
function whoAmI(root: string, env: NodeJS.ProcessEnv): string {
  try {
    const name = execFileSync('git', ['config', 'user.name'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const email = execFileSync('git', ['config', 'user.email'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (name) return email ? `${name} <${email}>` : name;
  } catch {
    // Not a git repository, or git is missing: fall through.
  }
  return env.GITHUB_ACTOR ?? env.USER ?? os.userInfo().username;
}
