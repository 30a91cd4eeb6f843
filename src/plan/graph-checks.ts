/**
 * Graph checks over a whole plan before anything runs: duplicate ids,
 * references to phases or groups that do not exist, dependency cycles (named
 * as a path, located at the edge that closes them), and `parallel_with`
 * declarations that contradict the dependencies.
 */
import type { Diagnose } from '../config/load.js';
import type { YamlPath } from '../config/locate.js';
import type { Diagnostic } from '../config/diagnostics.js';
import { closest, formatPath } from '../config/diagnostics.js';
import { findCycles } from './cycle-detection.js';
import type { Edge, GraphNode, PlanGraph } from './graph.js';

/** Every graph problem of the plan. */
export function checkGraph(graph: PlanGraph, diagnose: Diagnose): Diagnostic[] {
  const out: Diagnostic[] = [];
  duplicates(graph.phases, 'phase', '', diagnose, out);
  duplicates(graph.tasks, 'task', '', diagnose, out);
  for (const groups of graph.groups) duplicates(groups.nodes, 'group', ` in phase ${groups.phaseId}`, diagnose, out);

  const phaseIds = new Set(graph.phases.map((p) => p.id));
  dangling(graph.phaseEdges, phaseIds, 'phase', '', 'depends on', diagnose, out);
  dangling(graph.parallel, phaseIds, 'phase', '', 'is declared parallel with', diagnose, out);
  cycles(graph.phaseEdges, graph.phases, 'phase', diagnose, out);

  for (const groups of graph.groups) {
    const ids = new Set(groups.nodes.map((g) => g.id));
    dangling(groups.edges, ids, 'group', ` of phase ${groups.phaseId}`, 'depends on', diagnose, out);
    cycles(groups.edges, groups.nodes, 'group', diagnose, out);
  }
  parallelContradictions(graph, diagnose, out);
  return out;
}

function duplicates(nodes: readonly GraphNode[], what: string, scope: string, diagnose: Diagnose, out: Diagnostic[]): void {
  const first = new Map<string, GraphNode>();
  for (const node of nodes) {
    const earlier = first.get(node.id);
    if (!earlier) {
      first.set(node.id, node);
      continue;
    }
    out.push(
      diagnose(node.at, `duplicate ${what} id "${node.id}"${scope}`, {
        hint: `"${node.id}" is already used at ${formatPath(earlier.at.slice(0, -1))}; ids must be unique`,
      }),
    );
  }
}

function dangling(
  edges: readonly Edge[],
  ids: ReadonlySet<string>,
  what: 'phase' | 'group',
  scope: string,
  verb: string,
  diagnose: Diagnose,
  out: Diagnostic[],
): void {
  for (const edge of edges) {
    if (edge.implicit || ids.has(edge.to)) continue;
    // Never suggest the node itself: that would be a cycle.
    const others = [...ids].filter((id) => id !== edge.from);
    const suggestion = closest(edge.to, others);
    out.push(
      diagnose(edge.at, `${what} ${edge.from}${scope} ${verb} ${what} "${edge.to}", which does not exist`, {
        hint: `${suggestion ? `did you mean "${suggestion}"? ` : ''}known ${what} ids${scope}: ${others.join(', ') || '(none)'}`,
      }),
    );
  }
}

function cycles(allEdges: readonly Edge[], nodes: readonly GraphNode[], what: string, diagnose: Diagnose, out: Diagnostic[]): void {
  // Only the first node of a repeated id takes part: the repeat is reported as a duplicate,
  // and its edges (`2` below a `2` waits for "2") would only show cycles that are not there.
  const firstAt = new Map<string, YamlPath>();
  for (const node of nodes) if (!firstAt.has(node.id)) firstAt.set(node.id, node.at.slice(0, -1));
  const edges = allEdges.filter((edge) => {
    const owner = firstAt.get(edge.from);
    return owner !== undefined && owner.every((segment, i) => edge.at[i] === segment);
  });
  const adjacency = new Map<string, string[]>();
  for (const id of firstAt.keys()) adjacency.set(id, []);
  for (const edge of edges) adjacency.get(edge.from)?.push(edge.to);
  for (const cycle of findCycles(adjacency)) {
    const path = cycle.map((id) => `${what} ${id}`).join(' -> ');
    // The edge that closes the cycle: from its last real step back to the start.
    const from = cycle[cycle.length - 2]!;
    const to = cycle[cycle.length - 1]!;
    const closing = edges.find((e) => e.from === from && e.to === to)!;
    out.push(
      diagnose(closing.at, `dependency cycle: ${path}`, {
        hint:
          cycle.length === 2
            ? `${what} ${from} depends on itself; remove "${to}" from its depends_on`
            : `remove one of these dependencies${closing.implicit ? ` (${what} ${from} follows the ${what} above it because it has no depends_on; add depends_on to say otherwise)` : ''}`,
      }),
    );
  }
}

function parallelContradictions(graph: PlanGraph, diagnose: Diagnose, out: Diagnostic[]): void {
  const deps = new Map<string, string[]>();
  for (const edge of graph.phaseEdges) deps.set(edge.from, [...(deps.get(edge.from) ?? []), edge.to]);
  const reaches = (from: string, target: string): string[] | undefined => {
    const previous = new Map<string, string>();
    const queue = [from];
    const seen = new Set([from]);
    while (queue.length > 0) {
      const node = queue.shift()!;
      if (node === target) {
        const path = [node];
        for (let at = previous.get(node); at !== undefined; at = previous.get(at)) path.unshift(at);
        return path;
      }
      for (const next of deps.get(node) ?? []) {
        if (seen.has(next)) continue;
        seen.add(next);
        previous.set(next, node);
        queue.push(next);
      }
    }
    return undefined;
  };
  const ids = new Set(graph.phases.map((p) => p.id));
  for (const edge of graph.parallel) {
    if (!ids.has(edge.to)) continue;
    if (edge.to === edge.from) {
      out.push(diagnose(edge.at, `phase ${edge.from} is declared parallel with itself`, { hint: 'remove it from parallel_with' }));
      continue;
    }
    const path = reaches(edge.from, edge.to) ?? reaches(edge.to, edge.from);
    if (path) {
      out.push(
        diagnose(edge.at, `phase ${edge.from} is declared parallel with phase ${edge.to}, but one waits for the other (${path.map((p) => `phase ${p}`).join(' -> ')})`, {
          hint: 'remove it from parallel_with, or change depends_on (a phase without depends_on waits for the phase above)',
        }),
      );
    }
  }
}
