/**
 * The built-in variables every template (and every manual task's text) may
 * use: facts about the project, the task and the target repository. They are
 * defaults: a plan, phase, group or task variable of the same name wins.
 */
import type { TaskContext } from '../engine/handler.js';
import type { WorkspaceView } from '../workspace/types.js';
import { repositoryFacts } from './repository-facts.js';

/** Names of the built-in variables, in the order the docs list them. */
export const BUILT_IN_VARIABLE_NAMES: readonly string[] = [
  'project_name',
  'task_id',
  'task_name',
  'date',
  'test_framework',
  'package_manager',
  'repo',
];

/** Lock files and the package manager each one means, checked in this order. */
const LOCK_FILES: readonly [string, string][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['package-lock.json', 'npm'],
  ['bun.lockb', 'bun'],
];

/** The variables a task's templates see: built-ins, overridden by the plan's cascade. */
export async function templateVariables(ctx: TaskContext, now: Date = new Date()): Promise<Record<string, unknown>> {
  const builtIns: Record<string, unknown> = {
    project_name: ctx.project.name,
    task_id: ctx.task.id,
    task_name: ctx.task.name,
    date: localDate(now),
    test_framework: await detectTestFramework(ctx.workspace),
    package_manager: await detectPackageManager(ctx.workspace),
    repo: await repositoryFacts(ctx.workspace),
  };
  return { ...builtIns, ...ctx.variables };
}

/** `vitest` or `jest` when package.json depends on it, else `none`. */
export async function detectTestFramework(workspace: WorkspaceView): Promise<string> {
  const text = await workspace.read('package.json');
  if (text === undefined) return 'none';
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    return 'none'; // a broken package.json is not this variable's problem to report
  }
  const record = (typeof manifest === 'object' && manifest !== null ? manifest : {}) as Record<string, unknown>;
  const names = new Set<string>();
  for (const field of ['dependencies', 'devDependencies']) {
    const deps = record[field];
    if (typeof deps === 'object' && deps !== null) Object.keys(deps).forEach((name) => names.add(name));
  }
  if (names.has('vitest')) return 'vitest';
  if (names.has('jest')) return 'jest';
  return 'none';
}

/** The package manager whose lock file the target holds; npm when none. */
export async function detectPackageManager(workspace: WorkspaceView): Promise<string> {
  for (const [file, manager] of LOCK_FILES) if (await workspace.exists(file)) return manager;
  return 'npm';
}

function localDate(now: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
