/**
 * A plan taken from the plan cache in a process that has not loaded the YAML
 * parser: the API's validatePlan loads it for the locator it hands back (line
 * and column as on a full load), while a caller that asks for a light hit
 * (the CLI) gets the plan without the parser, and problems named by path.
 * Each load runs in a fresh module graph, as a new process would.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'orchestrate-lazy-diagnose-'));
  await writeFile(
    path.join(dir, 'phases.yaml'),
    'version: 1\nproject: { name: lazy }\nphases:\n  - id: 1\n    name: Only\n    groups:\n      - id: a\n        tasks:\n          - { id: "1.1", name: one, type: manual, instructions: "Do it." }\n',
  );
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Load the plan through the API in a fresh module graph: the cache's hits and a problem located after the load. */
async function loadFresh(lightHit: boolean) {
  vi.resetModules();
  const { builtInRegistry } = await import('../../handlers/built-in.js');
  const { validatePlan } = await import('../../src/api/load.js');
  const { PlanCache } = await import('../../src/config/plan-cache.js');
  const registry = builtInRegistry();
  const cache = new PlanCache({ dir: path.join(dir, 'cache'), build: 'test' });
  const result = await validatePlan({ builtIns: async () => registry }, { config: 'phases.yaml', base: dir, cache, lightHit });
  if (!result.valid) throw new Error('the plan should be valid');
  return { hits: cache.stats.hits, located: result.loaded.diagnose(['phases', 0, 'groups', 0, 'tasks', 0, 'name'], 'probe') };
}

describe('the locator of a cached plan', () => {
  it('locates by line and column through the API, and by path alone on a light hit', async () => {
    const first = await loadFresh(false);
    expect(first.hits).toBe(0);
    expect(first.located).toMatchObject({ line: 9, path: 'phases[0].groups[0].tasks[0].name' });

    const hit = await loadFresh(false);
    expect(hit.hits).toBe(1);
    expect(hit.located).toEqual(first.located);

    const light = await loadFresh(true);
    expect(light.hits).toBe(1);
    expect(light.located).toMatchObject({ line: 1, column: 1, path: 'phases[0].groups[0].tasks[0].name', message: 'probe' });
  });
});
