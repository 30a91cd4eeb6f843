/**
 * The tree's line budget as a property: for the roadmap (61 tasks) in any
 * mixture of task and phase states, at any terminal height, the layout never
 * takes more lines than it was given, keeps one line per phase while they fit,
 * and shows every running task whenever the active tasks of the running
 * phases fit beside the phase lines.
 */
import { builtInRegistry } from '../../handlers/built-in.js';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { Plan } from '../../src/plan/types.js';
import { ProgressModel, type PhaseState, type TaskState } from '../../src/ui/progress-model.js';
import { layoutTree } from '../../src/ui/tree-layout.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
let roadmap: Plan;

beforeAll(async () => {
  ({ plan: roadmap } = await loadPlan({ config: 'config/phases.yaml', processCwd: repoRoot }, builtInRegistry()));
});

const TASK_STATES: TaskState[] = ['pending', 'running', 'retrying', 'done', 'unchanged', 'failed', 'skipped', 'awaiting', 'cancelled', 'blocked', 'earlier'];
const PHASE_STATES: PhaseState[] = ['pending', 'running', 'done', 'failed', 'skipped', 'cancelled', 'awaiting'];
const NOW = 1_000_000;

describe('the tree layout', () => {
  it('fits any budget, whatever the states', () => {
    const taskCount = roadmap.phases.flatMap((p) => p.groups.flatMap((g) => g.tasks)).length;
    const phaseCount = roadmap.phases.length;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 90 }),
        fc.array(fc.constantFrom(...TASK_STATES), { minLength: taskCount, maxLength: taskCount }),
        fc.array(fc.constantFrom(...PHASE_STATES), { minLength: phaseCount, maxLength: phaseCount }),
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: phaseCount, maxLength: phaseCount }),
        fc.boolean(),
        (budget, taskStates, phaseStates, ages, withOutput) => {
          const model = new ProgressModel(roadmap);
          model.phases.forEach((phase, i) => {
            phase.state = phaseStates[i]!;
            if (phase.state !== 'pending' && phase.state !== 'running') phase.finishedAt = NOW - ages[i]!;
          });
          [...model.tasks.values()].forEach((task, i) => {
            task.state = taskStates[i]!;
            if (withOutput) task.lastLine = 'output';
            if (task.state !== 'pending' && task.state !== 'running' && task.state !== 'retrying') task.finishedAt = NOW - 500;
          });
          const rows = layoutTree(model, budget, NOW);
          expect(rows.length).toBeLessThanOrEqual(budget);
          const phaseLines = rows.filter((r) => r.kind === 'phase').length;
          expect(phaseLines).toBe(Math.min(phaseCount, budget >= phaseCount ? phaseCount : budget - 1));
          // Every running task is shown when the running phases' active tasks fit beside the phase lines.
          const running = model.phases.filter((p) => p.state === 'running');
          const runningTasks = running.flatMap((p) => p.groups.flatMap((g) => g.tasks)).filter((t) => t.state === 'running' || t.state === 'retrying');
          const active = running.flatMap((p) => p.groups.flatMap((g) => g.tasks)).filter((t) => ['running', 'retrying', 'awaiting', 'failed'].includes(t.state)).length;
          if (phaseCount + active <= budget) {
            const shown = new Set(rows.flatMap((r) => (r.kind === 'task' ? [r.task.id] : [])));
            for (const task of runningTasks) expect(shown.has(task.id)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
