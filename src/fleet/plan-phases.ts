/**
 * The phases of the fleet's plan (id and name), read from the plan file for
 * branch names and pull-request bookkeeping. The plan itself is checked by
 * `orchestrate validate` before a fleet run starts.
 */
import fs from 'node:fs';
import { parse } from 'yaml';
import { branchName, DEFAULT_BRANCH_PATTERN } from '../git/branch-name.js';

export interface PlanPhase {
  id: string;
  name: string;
}

/** Every phase of the plan, in file order. */
export function planPhases(planFile: string): PlanPhase[] {
  const raw = parse(fs.readFileSync(planFile, 'utf8')) as { phases?: Array<{ id?: unknown; name?: unknown }> } | null;
  return (raw?.phases ?? []).map((phase) => ({ id: String(phase.id), name: typeof phase.name === 'string' ? phase.name : String(phase.id) }));
}

/** The phases a repository runs: its own list, else every phase. */
export function phasesFor(all: readonly PlanPhase[], chosen: readonly string[] | undefined): PlanPhase[] {
  return chosen ? all.filter((phase) => chosen.includes(phase.id)) : [...all];
}

/** The branch of a phase under the fleet's pattern. */
export function phaseBranch(pattern: string | undefined, phase: PlanPhase): string {
  return branchName(pattern ?? DEFAULT_BRANCH_PATTERN, phase);
}
