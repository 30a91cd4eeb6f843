/**
 * findCycles: every cycle of a dependency graph, each as a path a person can
 * follow back to where it started.
 */
import { describe, expect, it } from 'vitest';
import { findCycles, type Graph } from '../../src/plan/cycle-detection.js';

/** A graph from `node: deps` entries, in declaration order. */
function graph(entries: Record<string, string[]>): Graph {
  return new Map(Object.entries(entries));
}

/** Each step of a cycle must be an edge of the graph, and it must end where it starts. */
function expectRealCycle(g: Graph, cycle: readonly string[]): void {
  expect(cycle.length).toBeGreaterThanOrEqual(2);
  expect(cycle[cycle.length - 1]).toBe(cycle[0]);
  const missing = cycle.slice(0, -1).findIndex((node, i) => !g.get(node)?.includes(cycle[i + 1]!));
  expect(missing, `step ${missing} of the cycle is not an edge`).toBe(-1);
  // No node repeats except the closing one.
  expect(new Set(cycle.slice(0, -1)).size).toBe(cycle.length - 1);
}

describe('findCycles', () => {
  it('finds nothing in an acyclic graph, diamonds included', () => {
    expect(findCycles(graph({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'] }))).toEqual([]);
    expect(findCycles(graph({}))).toEqual([]);
  });

  it('reports a self loop as [x, x]', () => {
    expect(findCycles(graph({ a: [], b: ['b'] }))).toEqual([['b', 'b']]);
  });

  it('reports a 2-cycle once, starting from the node declared first', () => {
    expect(findCycles(graph({ '1': [], '2': ['3'], '3': ['2'] }))).toEqual([['2', '3', '2']]);
  });

  it('reports a 5-cycle as the whole path', () => {
    const g = graph({ '1': ['5'], '2': ['1'], '3': ['2'], '4': ['3'], '5': ['4'] });
    expect(findCycles(g)).toEqual([['1', '5', '4', '3', '2', '1']]);
  });

  it('reports two disjoint cycles, both', () => {
    const g = graph({ a: ['b'], b: ['a'], c: [], d: ['e'], e: ['f'], f: ['d'] });
    const cycles = findCycles(g);
    expect(cycles).toHaveLength(2);
    expect(cycles).toContainEqual(['a', 'b', 'a']);
    expect(cycles).toContainEqual(['d', 'e', 'f', 'd']);
  });

  it('gives the shortest cycle through the first node when a component holds several', () => {
    // a -> b -> c -> a and a -> c -> a share a component; the short one is the clearer message.
    const g = graph({ a: ['b', 'c'], b: ['c'], c: ['a'] });
    const cycles = findCycles(g);
    expect(cycles).toEqual([['a', 'c', 'a']]);
  });

  it('ignores edges to nodes that do not exist (reported elsewhere as dangling)', () => {
    expect(findCycles(graph({ a: ['ghost'], b: ['a', 'ghost'] }))).toEqual([]);
    const cycles = findCycles(graph({ a: ['ghost', 'b'], b: ['a'] }));
    expect(cycles).toEqual([['a', 'b', 'a']]);
  });

  it('every reported cycle is made of real edges', () => {
    const g = graph({ a: ['d'], b: ['a'], c: ['b', 'c'], d: ['c'], e: ['e', 'a'], f: ['g'], g: ['f'] });
    const cycles = findCycles(g);
    expect(cycles).toHaveLength(3);
    for (const cycle of cycles) expectRealCycle(g, cycle);
  });

  it('handles a chain of 10,000 nodes without overflowing the stack, and finds the cycle closing it', () => {
    const n = 10_000;
    const entries: Record<string, string[]> = {};
    for (let i = 0; i < n; i++) entries[`n${i}`] = i === 0 ? [] : [`n${i - 1}`];
    expect(findCycles(graph(entries))).toEqual([]);

    entries.n0 = [`n${n - 1}`];
    const cycles = findCycles(graph(entries));
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toHaveLength(n + 1);
    expect(cycles[0]!.slice(0, 3)).toEqual(['n0', `n${n - 1}`, `n${n - 2}`]);
    expectRealCycle(graph(entries), cycles[0]!);
  });
});
