/**
 * file_generation formats what it writes with prettier and the target's own
 * prettier config; prettier *executes* a config written in JS or TS and
 * loads the plugins a config names. Under untrusted those files are the pull
 * request's, so a file_generation task whose target would be formatted under
 * such a config is refused. The config prettier would use is the nearest one
 * on the way from the target's folder up to the target root.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Plan } from '../plan/types.js';
import type { Refusal } from './policy.js';

const CODE_CONFIG = /^(?:\.prettierrc|prettier\.config)\.(?:js|cjs|mjs|ts|cts|mts)$/;
const DATA_CONFIG = /^\.prettierrc(?:\.(?:json|json5|yaml|yml|toml))?$/;

/** Refusals for file_generation tasks whose output prettier would format under a config that runs code. */
export async function formatterRefusals(plan: Plan): Promise<Refusal[]> {
  const root = plan.project.root;
  const verdicts = new Map<string, Promise<string | undefined>>();
  const refusals: Refusal[] = [];
  for (const task of plan.phases.flatMap((phase) => phase.groups.flatMap((group) => group.tasks))) {
    if (task.type !== 'file_generation') continue;
    const target = (task.spec as unknown as { target?: unknown }).target;
    if (typeof target !== 'string') continue;
    const dir = path.dirname(path.resolve(root, target));
    if (!verdicts.has(dir)) verdicts.set(dir, codeConfigFor(dir, root));
    const config = await verdicts.get(dir)!;
    if (config) {
      refusals.push({
        rule: 'formatter-config',
        subject: `task ${task.id}`,
        taskId: task.id,
        message: `formats ${target} with prettier under ${config}, which runs code (a JS/TS config, a shared config or plugins); an untrusted plan may not run it`,
      });
    }
  }
  return refusals;
}

/** The nearest prettier config from `dir` up to `root`, relative to root, when it runs code; undefined otherwise. */
async function codeConfigFor(dir: string, root: string): Promise<string | undefined> {
  let current = dir;
  for (;;) {
    const inside = path.relative(root, current);
    if (inside.startsWith('..') || path.isAbsolute(inside)) return undefined;
    const names = await readdir(current).catch(() => [] as string[]);
    const show = (name: string) => path.join(inside, name) || name;
    const code = names.find((name) => CODE_CONFIG.test(name));
    if (code) return show(code);
    const data = names.find((name) => DATA_CONFIG.test(name));
    if (data) return /\bplugins\b/.test(await readFile(path.join(current, data), 'utf8').catch(() => '')) ? show(data) : undefined;
    if (names.includes('package.json')) {
      const field = await readFile(path.join(current, 'package.json'), 'utf8')
        .then((text) => (JSON.parse(text) as { prettier?: unknown }).prettier)
        .catch(() => undefined);
      // A string names a shared config, a module prettier loads.
      if (typeof field === 'string') return `${show('package.json')} ("prettier": "${field}")`;
      if (field && typeof field === 'object') return 'plugins' in field ? `${show('package.json')} (prettier.plugins)` : undefined;
    }
    if (current === root) return undefined;
    current = path.dirname(current);
  }
}
