/**
 * `fleet matrix` and repository selection through the GitHub API: the
 * matrix is what GitHub accepts for `strategy.matrix` (include entries, at
 * most 256 jobs, checked by @action-validator/core in a workflow), covers
 * each repository once, honours the pacing, and the `select` of an org
 * leaves out archived repositories, forks and those the filters refuse.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { useGitHubDouble } from '../git/use-github-double.js';
import { FLEET_PLAN, runFleetCli, type Fleet } from './fleet-fixtures.js';

const stand = useGitHubDouble('octo-org', 'platform');
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function fleetOf(fleet: Record<string, unknown>): Fleet {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-matrix-')));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'phases.yaml'), stringify(FLEET_PLAN));
  const fleetFile = path.join(dir, 'fleet.yaml');
  fs.writeFileSync(fleetFile, stringify({ version: 1, name: 'rollout', plan: 'phases.yaml', ...fleet }));
  return { dir, fleetFile, stateDir: path.join(dir, '.orchestrate-fleet', 'rollout'), bare: new Map() };
}

const listed = (n: number) => Array.from({ length: n }, (_, i) => ({ repo: `octo-org/svc-${i + 1}` }));
type Matrix = { include: Array<{ repositories: string; name: string }> };

/** A workflow using the matrix as GitHub would receive it. */
function workflowWith(matrix: Matrix, maxParallel: number): string {
  return stringify({
    name: 'fleet',
    on: { workflow_dispatch: {} },
    jobs: { repo: { 'runs-on': 'ubuntu-latest', strategy: { 'fail-fast': false, 'max-parallel': maxParallel, matrix }, steps: [{ run: 'echo "${{ matrix.repositories }}"' }] } },
  });
}

describe('fleet matrix', () => {
  it('gives one entry per repository, and batches past 256 jobs, in a form GitHub accepts', async () => {
    const small = fleetOf({ repositories: listed(3), pacing: { concurrency: 2 } });
    const one = await runFleetCli(small, ['matrix'], {});
    expect(one.code, one.stderr).toBe(0);
    const matrix = JSON.parse(one.stdout) as Matrix;
    expect(matrix.include).toEqual([1, 2, 3].map((i) => ({ repositories: `octo-org/svc-${i}`, name: `octo-org/svc-${i}` })));
    expect(validateWorkflow(workflowWith(matrix, 2)).errors).toEqual([]);

    const large = fleetOf({ repositories: listed(600) });
    const big = await runFleetCli(large, ['matrix'], {});
    const batched = JSON.parse(big.stdout) as Matrix;
    expect(batched.include.length).toBeLessThanOrEqual(256);
    const covered = batched.include.flatMap((entry) => entry.repositories.split(','));
    expect(covered).toHaveLength(600);
    expect(new Set(covered).size).toBe(600);
    expect(validateWorkflow(workflowWith(batched, 4)).errors).toEqual([]);
  });

  it('includes only what the pacing lets open now, and writes the GitHub outputs', async () => {
    const fleet = fleetOf({ repositories: listed(20), pacing: { concurrency: 3, max_open_prs: 5 } });
    const output = path.join(fleet.dir, 'github-output');
    fs.writeFileSync(output, '');
    const result = await runFleetCli(fleet, ['matrix', '--github-output'], { GITHUB_OUTPUT: output });
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as Matrix).include).toHaveLength(5);
    expect(result.stderr).toContain('15 repositories left for a later run: max_open_prs 5');
    const lines = fs.readFileSync(output, 'utf8').split('\n');
    expect(lines).toContain('max-parallel=3');
    expect(lines).toContain('count=5');
    expect(lines.find((line) => line.startsWith('matrix='))).toBe(`matrix=${result.stdout.trim()}`);
  });
});

describe('select', () => {
  it('finds the org’s repositories page by page, without archived ones, forks, or those the filters refuse', async () => {
    for (let i = 1; i <= 110; i++) stand.github.addRepository({ slug: `octo-org/svc-${i}`, topics: i % 2 ? ['ci'] : [], language: i === 5 ? 'Python' : 'TypeScript', archived: i === 3, fork: i === 7 });
    stand.github.addRepository({ slug: 'octo-org/tools', topics: ['ci'], language: 'TypeScript' });
    const fleet = fleetOf({
      select: { org: 'octo-org', topics: ['ci'], language: 'typescript', name: 'svc-*', exclude: ['svc-9'] },
      repositories: [{ repo: 'octo-org/svc-1', coverage: { lines: 10 } }],
    });
    const result = await runFleetCli(fleet, ['matrix'], { GITHUB_API_URL: stand.apiUrl, GH_TOKEN: 'fleet-token' });
    expect(result.code, result.stderr).toBe(0);
    const chosen = (JSON.parse(result.stdout) as Matrix).include.map((entry) => entry.repositories);
    const expected = Array.from({ length: 110 }, (_, i) => i + 1)
      .filter((i) => i % 2 === 1 && ![3, 5, 7, 9].includes(i))
      .map((i) => `octo-org/svc-${i}`);
    expect(chosen).toEqual(expected);
    expect(stand.github.seen('repos/list-for-org')).toHaveLength(2);
  });

  it('says so when a select has no token, and locates a mistake in the fleet file', async () => {
    const fleet = fleetOf({ select: { org: 'octo-org' } });
    const result = await runFleetCli(fleet, ['matrix'], { GH_TOKEN: '', GITHUB_TOKEN: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the fleet needs a GitHub token');

    fs.writeFileSync(fleet.fleetFile, 'version: 1\nname: rollout\nplan: phases.yaml\npacing:\n  concurency: 4\nrepositories:\n  - repo: not-a-slug\n');
    const bad = await runFleetCli(fleet, ['run'], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${fleet.fleetFile}:5:3 pacing.concurency`);
    expect(bad.stderr).toContain('unknown key "concurency"');
    expect(bad.stderr).toContain('repositories[0].repo');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
