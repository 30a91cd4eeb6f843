/**
 * The plan as a Mermaid flowchart that GitHub renders: phases as subgraphs,
 * groups nested in them, tasks as nodes; dependency edges between phases and
 * groups, and the order of tasks in sequential groups.
 */
import type { Plan, PlannedPhase } from '../types.js';

/** Node classes a caller may assign (e.g. by outcome) with `classes`. */
export type NodeClass = 'done' | 'failed' | 'skipped' | 'awaiting' | 'pending' | 'running';

export interface MermaidOptions {
  /** Task id -> class, to colour nodes by outcome. */
  classes?: ReadonlyMap<string, NodeClass>;
}

/** Render the plan (or some of its phases) as Mermaid source. */
export function planToMermaid(plan: Plan, phases: readonly PlannedPhase[] = plan.phases, options: MermaidOptions = {}): string {
  const lines = ['flowchart TB'];
  const shown = new Set(phases.map((p) => p.id));
  const phaseNode = (id: string) => `P_${safe(id)}`;
  const groupNode = (phaseId: string, groupId: string) => `G_${safe(phaseId)}_${safe(groupId)}`;
  const taskNode = (id: string) => `T_${safe(id)}`;

  for (const phase of phases) {
    lines.push(`  subgraph ${phaseNode(phase.id)}["Phase ${label(phase.id)}: ${label(phase.name)}"]`);
    lines.push('    direction TB');
    for (const group of phase.groups) {
      const mode = group.execution === 'parallel' ? `parallel, max ${group.maxParallel}` : 'sequential';
      lines.push(`    subgraph ${groupNode(phase.id, group.id)}["${label(group.name)} (${mode})"]`);
      lines.push(group.execution === 'parallel' ? '      direction LR' : '      direction TB');
      for (const task of group.tasks) lines.push(`      ${taskNode(task.id)}["${label(task.id)} ${label(task.name)}"]`);
      if (group.execution === 'sequential') {
        for (let i = 1; i < group.tasks.length; i++) {
          lines.push(`      ${taskNode(group.tasks[i - 1]!.id)} --> ${taskNode(group.tasks[i]!.id)}`);
        }
      }
      lines.push('    end');
    }
    for (const group of phase.groups) {
      for (const dep of group.dependsOn) lines.push(`    ${groupNode(phase.id, dep)} --> ${groupNode(phase.id, group.id)}`);
    }
    lines.push('  end');
  }
  for (const phase of phases) {
    for (const dep of phase.dependsOn) if (shown.has(dep)) lines.push(`  ${phaseNode(dep)} --> ${phaseNode(phase.id)}`);
  }
  if (options.classes && options.classes.size > 0) {
    lines.push(
      '  classDef done fill:#d1f2d8,stroke:#1a7f37',
      '  classDef failed fill:#ffd8d3,stroke:#cf222e',
      '  classDef skipped fill:#eaeef2,stroke:#6e7781',
      '  classDef awaiting fill:#fff1c2,stroke:#9a6700',
      '  classDef running fill:#ddf4ff,stroke:#0969da',
      '  classDef pending fill:#ffffff,stroke:#8c959f',
    );
    for (const [taskId, cls] of options.classes) lines.push(`  class ${taskNode(taskId)} ${cls}`);
  }
  return `${lines.join('\n')}\n`;
}

function safe(id: string): string {
  return id.replace(/[^A-Za-z0-9_]/g, (c) => `_${c.charCodeAt(0).toString(16)}`);
}

function label(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'));
}
