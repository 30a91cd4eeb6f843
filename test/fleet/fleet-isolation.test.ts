/**
 * Repositories of one fleet run share the fleet's process: each must still
 * see its own repository (GITHUB_REPOSITORY in the plan's `${VAR}`), and a
 * run that throws (here a push the remote refuses, from the git steps after
 * the tasks) must fail that repository alone while the others finish.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../git/git-fixtures.js';
import { useGitHubDouble } from '../git/use-github-double.js';
import { makeFleet, runFleetCli } from './fleet-fixtures.js';

const stand = useGitHubDouble('octo-org', 'platform');

describe('fleet run, repositories side by side in one process', () => {
  it('gives each run its own repository’s environment, and a run that throws fails only its repository', async () => {
    const fleet = makeFleet(stand.github, 3, { pacing: { concurrency: 3 } });
    const planFile = path.join(fleet.dir, 'phases.yaml');
    fs.writeFileSync(planFile, fs.readFileSync(planFile, 'utf8').replace('team: platform', 'team: ${GITHUB_REPOSITORY}'));
    // svc-02's remote refuses every push: its tasks finish, then its git steps throw.
    const hook = path.join(fleet.bare.get('octo-org/svc-02')!, 'hooks', 'pre-receive');
    fs.writeFileSync(hook, '#!/bin/sh\necho "pushes are frozen" >&2\nexit 1\n', { mode: 0o755 });

    const result = await runFleetCli(fleet, ['run'], { GITHUB_API_URL: stand.apiUrl, GH_TOKEN: 'fleet-token', GITHUB_TOKEN: '' });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/octo-org\/svc-02: failed: could not push orchestrate\/phase-1/);
    expect(result.stderr).toContain('fleet rollout: 2 done, 1 failed');
    for (const slug of ['octo-org/svc-01', 'octo-org/svc-03']) {
      expect(git(fleet.bare.get(slug)!, 'show', 'orchestrate/phase-1:docs/rollout.md'), slug).toBe(`rollout note from task 1.1 for ${slug}`);
      expect(stand.github.pullsOf(slug), slug).toHaveLength(1);
    }
    expect(stand.github.pullsOf('octo-org/svc-02')).toHaveLength(0);
    const log = fs.readFileSync(path.join(fleet.stateDir, 'logs', 'octo-org__svc-02.log'), 'utf8');
    expect(log).toContain('pushes are frozen');
    // Its work was done and measured, only not pushed: the status says so.
    const shown = await runFleetCli(fleet, ['status', '--format', 'json', '--offline'], { GITHUB_API_URL: stand.apiUrl, GH_TOKEN: '', GITHUB_TOKEN: '' });
    expect(shown.code, shown.stderr).toBe(0);
    const report = JSON.parse(shown.stdout) as { repositories: Array<{ repo: string; status: string; phases: Array<{ status: string; coverage: Array<{ metric: string; measured: number | null }> }> }> };
    const failed = report.repositories.find((repository) => repository.repo === 'octo-org/svc-02');
    expect(failed).toMatchObject({ status: 'failed', phases: [{ status: 'done', coverage: [{ metric: 'lines', measured: 41.5 }] }] });
  }, 300_000);
});
