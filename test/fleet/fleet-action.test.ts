/**
 * The action in fleet mode (action.yml with `fleet:`): valid by GitHub's
 * schema, and its run step, executed with bash as the runner would, runs
 * `orchestrate fleet run` over the fleet against the GitHub stand-in, sets
 * the `status` output from how the fleet ended, and writes the fleet's
 * status as the step summary; a dry run opens and writes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { validateAction } from '@action-validator/core';
import { describe, expect, it } from 'vitest';
import { git } from '../git/git-fixtures.js';
import { useGitHubDouble } from '../git/use-github-double.js';
import { actionText, runActionStep } from './action-step.js';
import { makeFleet } from './fleet-fixtures.js';

const stand = useGitHubDouble('octo-org', 'platform');

describe('action.yml in fleet mode', () => {
  it('passes GitHub’s schema with the fleet inputs', () => {
    expect(validateAction(actionText).errors).toEqual([]);
    for (const input of ['fleet:', 'only:', 'state-dir:']) expect(actionText).toContain(`\n  ${input}`);
  });

  it('runs the fleet with the action’s token, author and labels, fails when a repository fails, and sums the fleet up', async () => {
    const fleet = makeFleet(stand.github, 3, { pacing: { concurrency: 2 } }, { 'octo-org/svc-02': '10' });
    const text = fs.readFileSync(fleet.fleetFile, 'utf8').replace(/^author: .*\n/m, '');
    fs.writeFileSync(fleet.fleetFile, text);
    const result = await runActionStep(
      fleet.dir,
      { fleet: 'fleet.yaml', 'state-dir': 'fleet-state', token: 'action-fleet-token', labels: 'rollout, fleet', author: 'Fleet Bot <fleet-bot@example.com>' },
      { GITHUB_API_URL: stand.apiUrl, HOME: path.join(fleet.dir, '..') },
    );
    expect(result.code, result.stderr).toBe(1);
    expect(result.outputs.status).toBe('failed');
    expect(result.stderr).toContain('octo-org/svc-02: failed');
    expect(stand.github.pulls.map((pull) => pull.repo).sort()).toEqual(['octo-org/svc-01', 'octo-org/svc-03']);
    expect(stand.github.pulls.every((pull) => pull.labels.join(',') === 'rollout,fleet')).toBe(true);
    expect(stand.github.requests.every((request) => request.authorization === 'token action-fleet-token')).toBe(true);
    expect(git(fleet.bare.get('octo-org/svc-01')!, 'log', '-1', '--format=%an <%ae>', 'orchestrate/phase-1')).toBe('Fleet Bot <fleet-bot@example.com>');
    // The records went where state-dir said.
    expect(fs.readdirSync(path.join(fleet.dir, 'fleet-state', 'repos')).filter((name) => name.endsWith('.json'))).toHaveLength(3);
    expect(result.summary).toContain('3 repositories: 0 merged, 2 open, 1 failed, 0 not started');
    expect(result.summary).toMatch(/\| `octo-org\/svc-02` \| failed \|/);
  }, 300_000);

  it('previews the fleet’s diffs with dry-run: no pull request, no record, no summary', async () => {
    const fleet = makeFleet(stand.github, 2, {});
    const result = await runActionStep(fleet.dir, { fleet: 'fleet.yaml', only: 'octo-org/svc-02', 'dry-run': 'true' }, { GITHUB_API_URL: stand.apiUrl, HOME: path.join(fleet.dir, '..') });
    expect(result.code, result.stderr).toBe(0);
    expect(result.outputs.status).toBe('done');
    expect(result.stdout).toContain('=== octo-org/svc-02');
    expect(result.stdout).toContain('+rollout note from task 1.1 for platform');
    expect(result.stdout).not.toContain('=== octo-org/svc-01');
    expect(stand.github.requests).toHaveLength(0);
    expect(result.summary).toBe('');
    expect(git(fleet.bare.get('octo-org/svc-02')!, 'branch', '--list', 'orchestrate/*')).toBe('');
  }, 300_000);
});
