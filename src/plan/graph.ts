/**
 * The dependency structure of a plan: explicit `depends_on` edges, and the
 * implicit edge to the phase (or group) above when `depends_on` is absent.
 * Read leniently from raw data so that graph problems are reported together
 * with schema problems, in one go.
 */
import type { YamlPath } from '../config/locate.js';

export interface Edge {
  from: string;
  to: string;
  /** Where the edge is written; for an implicit edge, the node's `id`. */
  at: YamlPath;
  implicit: boolean;
}

export interface GraphNode {
  id: string;
  at: YamlPath;
}

export interface GroupGraph {
  phaseId: string;
  nodes: GraphNode[];
  edges: Edge[];
}

export interface PlanGraph {
  phases: GraphNode[];
  phaseEdges: Edge[];
  parallel: Edge[];
  groups: GroupGraph[];
  tasks: GraphNode[];
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
const asId = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' && Number.isInteger(value) ? String(value) : undefined;

/** Extract nodes and edges from raw plan data; malformed parts are left out (the schema reports them). */
export function extractGraph(raw: unknown): PlanGraph {
  const graph: PlanGraph = { phases: [], phaseEdges: [], parallel: [], groups: [], tasks: [] };
  const phases = asList(asRecord(raw)?.phases);
  let previousPhase: string | undefined;
  phases.forEach((phaseValue, p) => {
    const phase = asRecord(phaseValue);
    const id = asId(phase?.id);
    const at: YamlPath = ['phases', p];
    if (phase && id === undefined) collectTasks(graph, phase, at);
    if (!phase || id === undefined) return;
    graph.phases.push({ id, at: [...at, 'id'] });
    collectEdges(graph.phaseEdges, id, phase.depends_on, [...at, 'depends_on'], previousPhase, [...at, 'id']);
    asList(phase.parallel_with).forEach((other, i) => {
      const to = asId(other);
      if (to !== undefined) graph.parallel.push({ from: id, to, at: [...at, 'parallel_with', i], implicit: false });
    });
    previousPhase = id;

    const groups: GroupGraph = { phaseId: id, nodes: [], edges: [] };
    let previousGroup: string | undefined;
    asList(phase.groups).forEach((groupValue, g) => {
      const group = asRecord(groupValue);
      const gid = asId(group?.id);
      const gat: YamlPath = [...at, 'groups', g];
      // Task ids are unique plan-wide, so a group or phase without an id still has its tasks checked.
      asList(group?.tasks).forEach((taskValue, t) => {
        const tid = asId(asRecord(taskValue)?.id);
        if (tid !== undefined) graph.tasks.push({ id: tid, at: [...gat, 'tasks', t, 'id'] });
      });
      if (!group || gid === undefined) return;
      groups.nodes.push({ id: gid, at: [...gat, 'id'] });
      collectEdges(groups.edges, gid, group.depends_on, [...gat, 'depends_on'], previousGroup, [...gat, 'id']);
      previousGroup = gid;
    });
    graph.groups.push(groups);
  });
  return graph;
}

function collectTasks(graph: PlanGraph, phase: Record<string, unknown>, at: YamlPath): void {
  asList(phase.groups).forEach((groupValue, g) => {
    asList(asRecord(groupValue)?.tasks).forEach((taskValue, t) => {
      const tid = asId(asRecord(taskValue)?.id);
      if (tid !== undefined) graph.tasks.push({ id: tid, at: [...at, 'groups', g, 'tasks', t, 'id'] });
    });
  });
}

function collectEdges(edges: Edge[], from: string, dependsOn: unknown, at: YamlPath, previous: string | undefined, idAt: YamlPath): void {
  if (dependsOn === undefined) {
    if (previous !== undefined) edges.push({ from, to: previous, at: idAt, implicit: true });
    return;
  }
  asList(dependsOn).forEach((value, i) => {
    const to = asId(value);
    if (to !== undefined) edges.push({ from, to, at: [...at, i], implicit: false });
  });
}
