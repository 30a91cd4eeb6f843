/**
 * Cycle detection over a directed graph with Tarjan's strongly connected
 * components, then one concrete cycle per component, so that every cycle in
 * the plan is reported, each as a path a person can follow.
 */

/** Adjacency: node -> the nodes it depends on, in declaration order. */
export type Graph = ReadonlyMap<string, readonly string[]>;

/** Each cycle as a node path whose last element equals its first. */
export function findCycles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  // Iterative Tarjan so that long dependency chains cannot overflow the call stack.
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const edges = graph.get(frame.node) ?? [];
      if (frame.next < edges.length) {
        const to = edges[frame.next++]!;
        if (!graph.has(to)) continue;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }

  // Start each cycle at the member declared first; looked up by index so that a
  // plan of thousands of acyclic nodes stays linear.
  const order = new Map<string, number>();
  for (const node of graph.keys()) order.set(node, order.size);
  const cycles: string[][] = [];
  for (const component of components) {
    const first = component.reduce((a, b) => (order.get(a)! <= order.get(b)! ? a : b));
    if (component.length === 1 && !(graph.get(first) ?? []).includes(first)) continue;
    cycles.push(cycleThrough(first, new Set(component), graph));
  }
  return cycles;
}

/** A shortest cycle from `start` back to itself inside one component (BFS). */
function cycleThrough(start: string, members: ReadonlySet<string>, graph: Graph): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const to of graph.get(node) ?? []) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path = [start];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = previous.get(at)) path.push(at);
        const forward = [start, ...path.slice(1).reverse(), start];
        return forward;
      }
      if (!previous.has(to) && to !== start) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return [start, start];
}
