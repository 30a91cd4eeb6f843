/**
 * What an untrusted plan may not do, task by task and checkpoint by
 * checkpoint: run programs (command tasks, checkpoint `run:`, manual
 * `verify`) unless their argv starts with an allowlisted prefix, use a shell
 * at all, set a command's environment, run the target's test runner
 * (test_generation) unless allowed, or load plugins. Pure: the plan in, the
 * refusals out; `run` turns them into failures and `validate`/`plan` list them.
 */
import { splitCommand } from '../engine/split-command.js';
import type { Plan } from '../plan/types.js';
import type { UntrustedAllow } from '../settings/schema.js';

export type TrustRule = 'command' | 'shell' | 'command-env' | 'checkpoint-run' | 'manual-verify' | 'test-generation' | 'formatter-config' | 'git-dir' | 'project-root' | 'plugins' | 'task-type';

export interface Refusal {
  rule: TrustRule;
  /** `task 1.2`, `checkpoint "tests pass" of phase 1`, or `the plan`. */
  subject: string;
  taskId?: string | undefined;
  checkpoint?: { phaseId: string; name: string } | undefined;
  message: string;
}

/** The task types that come with orchestrate; any other is a plugin's. */
const BUILT_IN_TYPES = new Set(['config_edit', 'test_generation', 'file_generation', 'manual', 'command']);

/** Every refusal the plan meets under untrusted, with `allow` the exceptions in force. */
export function untrustedRefusals(plan: Plan, raw: unknown, allow: Required<UntrustedAllow>): Refusal[] {
  const refusals: Refusal[] = [];
  const handlers = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>).handlers : undefined;
  if (handlers !== undefined && handlers !== null && !(Array.isArray(handlers) && handlers.length === 0)) {
    refusals.push({ rule: 'plugins', subject: 'the plan', message: 'the plan names handler plugins (`handlers:`); an untrusted plan may load no plugins' });
  }
  const allowed = (command: string | readonly string[]): boolean => isAllowlisted(command, allow.commands);
  for (const phase of plan.phases) {
    for (const task of phase.groups.flatMap((group) => group.tasks)) {
      const spec = task.spec as unknown as Record<string, unknown>;
      const refuse = (rule: TrustRule, message: string) => refusals.push({ rule, subject: `task ${task.id}`, taskId: task.id, message });
      // Git runs what .git/config and .git/hooks say (core.fsmonitor, hooks on push): writing there is running code.
      const gitPath = task.touches.find((file) => file.split(/[\\/]/).some((segment) => segment.toLowerCase() === '.git'));
      if (gitPath !== undefined) {
        refuse('git-dir', `writes ${gitPath}, inside a .git folder, which an untrusted plan may not do (git runs what its config and hooks say)`);
        continue;
      }
      if (task.type === 'command') {
        const command = spec.run as string | string[];
        if (spec.shell === true) refuse('shell', `runs \`${show(command)}\` through a shell (shell: true), which an untrusted plan may not do, allowlisted or not`);
        else if (!allowed(command)) refuse('command', `runs \`${show(command)}\`, which is not on the allowlist of commands for untrusted plans`);
        else if (spec.env !== undefined) refuse('command-env', 'sets environment variables (`env:`) for its command, which an untrusted plan may not do');
      } else if (task.type === 'manual' && spec.verify !== undefined && !allowed(spec.verify as string | string[])) {
        refuse('manual-verify', `verifies with \`${show(spec.verify as string | string[])}\`, which is not on the allowlist of commands for untrusted plans`);
      } else if (task.type === 'test_generation' && !allow.test_generation) {
        refuse('test-generation', 'generates tests by running the repository’s code and test runner, which an untrusted plan may not do');
      } else if (!BUILT_IN_TYPES.has(task.type)) {
        refuse('task-type', `is of the plugin type "${task.type}"; an untrusted plan may use only the built-in task types`);
      }
    }
    for (const checkpoint of phase.checkpoints) {
      const run = checkpoint.spec.run;
      if (run === undefined) continue;
      const subject = `checkpoint "${checkpoint.name}" of phase ${phase.id}`;
      const at = { phaseId: phase.id, name: checkpoint.name };
      if (checkpoint.spec.shell === true) {
        refusals.push({ rule: 'shell', subject, checkpoint: at, message: `runs \`${show(run)}\` through a shell (shell: true), which an untrusted plan may not do, allowlisted or not` });
      } else if (!allowed(run)) {
        refusals.push({ rule: 'checkpoint-run', subject, checkpoint: at, message: `runs \`${show(run)}\`, which is not on the allowlist of commands for untrusted plans` });
      }
    }
  }
  return refusals;
}

/** Whether `command`'s argv starts with one of the prefixes, word for word. */
export function isAllowlisted(command: string | readonly string[], prefixes: readonly (string | readonly string[])[]): boolean {
  const argv = typeof command === 'string' ? words(command) : command;
  return prefixes.some((prefix) => {
    const prefixWords = typeof prefix === 'string' ? words(prefix) : prefix;
    return prefixWords.length > 0 && prefixWords.length <= argv.length && prefixWords.every((word, i) => argv[i] === word);
  });
}

/** The words of a command line; none when it cannot be split (an unclosed quote), which matches no prefix. */
function words(text: string): string[] {
  try {
    return splitCommand(text);
  } catch {
    return [];
  }
}

/** One line naming the rule, for a failed task, a failed checkpoint and `validate`. */
export function describeRefusal(refusal: Refusal): string {
  return `refused under untrusted (rule ${refusal.rule}): ${refusal.subject} ${refusal.message}`;
}

function show(command: string | readonly string[]): string {
  return typeof command === 'string' ? command : command.join(' ');
}
