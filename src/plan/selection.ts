/**
 * Which part of a plan a run covers: `--phase`, `--all`, `--group`, `--task`,
 * and what to do about selected phases whose dependencies are not done.
 */
import { UserError } from '../errors.js';
import type { Plan, PlannedPhase } from './types.js';

export interface SelectionInput {
  phases?: readonly string[] | undefined;
  all?: boolean | undefined;
  group?: string | undefined;
  task?: readonly string[] | undefined;
  withDeps?: boolean | undefined;
}

export interface Selection {
  /** Phases that take part, in plan order. */
  phases: PlannedPhase[];
  /** Task ids selected to run. */
  tasks: Set<string>;
  /** Phases added by --with-deps. */
  addedDependencies: string[];
}

/** Resolve a selection against the plan; `isPhaseDone` says which phases an earlier run finished. */
export function selectWork(plan: Plan, input: SelectionInput, isPhaseDone: (phaseId: string) => boolean): Selection {
  const byId = new Map(plan.phases.map((p) => [p.id, p]));
  const knownPhases = plan.phases.map((p) => p.id).join(', ');
  let phaseIds: string[];
  if (input.task && input.task.length > 0) {
    const all = new Map(plan.phases.flatMap((p) => p.groups.flatMap((g) => g.tasks.map((t) => [t.id, p.id] as const))));
    const missing = input.task.filter((id) => !all.has(id));
    if (missing.length) throw new UserError(`no task ${missing.map((m) => `"${m}"`).join(', ')} in ${plan.source.file}`, { hint: 'see `orchestrate plan` for task ids' });
    phaseIds = [...new Set(input.task.map((id) => all.get(id)!))];
  } else if (input.phases && input.phases.length > 0) {
    phaseIds = input.phases.flatMap((p) => String(p).split(',')).map((p) => p.trim());
    const missing = phaseIds.filter((id) => !byId.has(id));
    if (missing.length) throw new UserError(`no phase ${missing.map((m) => `"${m}"`).join(', ')} in ${plan.source.file}`, { hint: `phases are: ${knownPhases}` });
  } else if (input.all) {
    phaseIds = plan.phases.map((p) => p.id);
  } else {
    throw new UserError('say what to run: --phase N, --all, or --task ID', { hint: `phases are: ${knownPhases}` });
  }

  const selected = new Set(phaseIds);
  const added: string[] = [];
  const visit = (id: string, from: string): void => {
    for (const dep of byId.get(id)?.dependsOn ?? []) {
      if (selected.has(dep) || isPhaseDone(dep)) continue;
      if (!input.withDeps) {
        throw new UserError(`phase ${from} depends on phase ${dep}, which is not done yet`, {
          hint: `run phase ${dep} first (orchestrate run --phase ${dep}), or add --with-deps to run it now`,
        });
      }
      selected.add(dep);
      added.push(dep);
      visit(dep, dep);
    }
  };
  for (const id of phaseIds) visit(id, id);

  const phases = plan.phases.filter((p) => selected.has(p.id));
  const tasks = new Set<string>();
  let groupFound = input.group === undefined;
  for (const phase of phases) {
    for (const group of phase.groups) {
      const inGroup = input.group === undefined || group.id === input.group || group.key === input.group || !phaseIds.includes(phase.id);
      if (input.group !== undefined && (group.id === input.group || group.key === input.group)) groupFound = true;
      for (const task of group.tasks) {
        if (input.task && input.task.length > 0 && phaseIds.includes(phase.id) && !input.task.includes(task.id)) continue;
        if (inGroup) tasks.add(task.id);
      }
    }
  }
  if (!groupFound) {
    const groups = phases.filter((p) => phaseIds.includes(p.id)).flatMap((p) => p.groups.map((g) => g.key));
    throw new UserError(`no group "${input.group}" in the selected phases`, { hint: `groups are: ${groups.join(', ')} (use phase/group when ids repeat)` });
  }
  return { phases, tasks, addedDependencies: added };
}
