/**
 * `orchestrate fleet run` end to end: the built CLI as a process, 20 local
 * bare repositories as the remotes, and GitHub stood in for by the local
 * server that checks every request against GitHub's OpenAPI description.
 * Pacing (concurrency 4, at most 5 open pull requests), a repository whose
 * checkpoint fails while the others finish, a per-repository override, the
 * resume after the pacing cap, and status / merge / close on the same data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../git/git-fixtures.js';
import { useGitHubDouble } from '../git/use-github-double.js';
import { waitUntil } from '../helpers/processes.js';
import { makeFleet, mostOpenAtOnce, runFleetCli, startFleet, type Fleet } from './fleet-fixtures.js';

const stand = useGitHubDouble('octo-org', 'platform');

const env = () => ({ GITHUB_API_URL: stand.apiUrl, GH_TOKEN: 'fleet-token', GITHUB_TOKEN: '' });

interface StatusJson {
  counts: { merged: number; open: number; failed: number; not_started: number };
  repositories: Array<{ repo: string; status: string; state: string; detail: string | null; phases: Array<{ status: string; pr: { number: number; state: string } | null; checks: { state: string } | null; coverage: Array<{ metric: string; expected: number | null; measured: number | null }> }> }>;
  burndown: Array<{ merged: number; open: number; failed: number; not_started: number }>;
}

async function status(fleet: Fleet): Promise<StatusJson> {
  const result = await runFleetCli(fleet, ['status', '--format', 'json'], env());
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as StatusJson;
}

describe('fleet run', () => {
  it('runs 20 repositories at concurrency 4, never more than 5 pull requests open, one failing checkpoint, resumed run by run', async () => {
    const fleet = makeFleet(
      stand.github,
      20,
      {
        pacing: { concurrency: 4, max_open_prs: 5 },
        pull_requests: { labels: ['rollout'] },
      },
      { 'octo-org/svc-03': '10', 'octo-org/svc-07': '12' },
    );
    // svc-07 is a legacy repository: its own lower target lets 12 % pass; svc-03 has none and fails.
    const text = fs.readFileSync(fleet.fleetFile, 'utf8').replace(/(- repo: octo-org\/svc-07\n)/, '$1    coverage: { lines: 10 }\n    variables: { team: legacy }\n');
    fs.writeFileSync(fleet.fleetFile, text);

    const first = await runFleetCli(fleet, ['run'], env());
    expect(first.code, first.stderr).toBe(1); // svc-03 failed
    expect(first.stderr).toContain('octo-org/svc-03: failed');
    expect(first.stderr).toMatch(/waiting for the pacing/);
    expect(stand.github.pulls.filter((pull) => pull.state === 'open')).toHaveLength(5);
    expect(mostOpenAtOnce(stand.github)).toBe(5);
    // Every request carried the token from the environment; it is written nowhere in the state.
    expect(stand.github.requests.every((request) => request.authorization === 'token fleet-token')).toBe(true);
    expect(grepTree(fleet.stateDir, 'fleet-token')).toEqual([]);

    let report = await status(fleet);
    const svc03 = report.repositories.find((repo) => repo.repo === 'octo-org/svc-03');
    expect(svc03).toMatchObject({ status: 'failed', state: 'failed' });
    expect(svc03?.phases[0]?.coverage).toEqual([{ metric: 'lines', expected: 25, measured: 10 }]);
    expect(report.counts).toMatchObject({ open: 5, failed: 1 });
    expect(report.counts.not_started).toBe(14);

    // The next run, after the open pull requests are merged, opens the next 5, and still never more than 5 at once.
    const mergeAll = async () => {
      for (const pull of stand.github.pulls) if (pull.state === 'open') stand.github.statuses.set(headOf(fleet, pull.repo ?? '', pull.head), [{ context: 'ci', state: 'success' }]);
      const merged = await runFleetCli(fleet, ['merge'], env());
      expect(merged.code, merged.stdout + merged.stderr).toBe(0);
    };
    await mergeAll();
    const second = await runFleetCli(fleet, ['run'], env());
    expect(second.code).toBe(1); // svc-03 fails again; the others go on
    expect(second.stderr).toContain('5 repositories are done already');
    expect(stand.github.pulls.filter((pull) => pull.state === 'open')).toHaveLength(5);
    expect(mostOpenAtOnce(stand.github)).toBe(5);

    // With the cap lifted, one more run takes every remaining repository through.
    await mergeAll();
    fs.writeFileSync(fleet.fleetFile, fs.readFileSync(fleet.fleetFile, 'utf8').replace('max_open_prs: 5', 'max_open_prs: 50'));
    const third = await runFleetCli(fleet, ['run'], env());
    expect(third.code).toBe(1);
    report = await status(fleet);
    expect(report.counts).toMatchObject({ failed: 1, not_started: 0 });
    expect(report.counts.merged + report.counts.open).toBe(19);
    // One pull request per repository, never two; svc-03 has none.
    const heads = stand.github.pulls.map((pull) => `${pull.repo}:${pull.head}`);
    expect(new Set(heads).size).toBe(heads.length);
    expect(stand.github.pullsOf('octo-org/svc-03')).toHaveLength(0);
    expect(stand.github.pulls).toHaveLength(19);

    // The legacy repository ran with its own variables and target.
    const legacy = report.repositories.find((repo) => repo.repo === 'octo-org/svc-07');
    expect(legacy?.phases[0]?.coverage).toEqual([{ metric: 'lines', expected: 10, measured: 12 }]);
    expect(git(fleet.bare.get('octo-org/svc-07')!, 'show', 'orchestrate/phase-1:docs/rollout.md')).toBe('rollout note from task 1.1 for legacy');
    expect(git(fleet.bare.get('octo-org/svc-01')!, 'show', 'orchestrate/phase-1:docs/rollout.md')).toBe('rollout note from task 1.1 for platform');
    expect(stand.github.pullsOf('octo-org/svc-01')[0]).toMatchObject({ base: 'main', labels: ['rollout'] });
    // The burndown ends where the counts are, and began with nothing merged.
    expect(report.burndown[0]).toMatchObject({ merged: 0 });
    expect(report.burndown.at(-1)).toMatchObject({ merged: report.counts.merged, failed: 1 });
  }, 600_000);
});

/** The commit a branch of a fleet repository points at. */
function headOf(fleet: Fleet, slug: string, branch: string): string {
  return git(fleet.bare.get(slug)!, 'rev-parse', `refs/heads/${branch}`);
}

/**
 * The repositories whose record says done. A record is replaced by renaming
 * a temporary file beside it over it: a file listed a moment ago may be gone
 * (or be such a temporary file), so only whole `.json` records count.
 */
function doneRecords(fleet: Fleet): string[] {
  const dir = path.join(fleet.stateDir, 'repos');
  const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.json')) : [];
  return names.filter((name) => {
    try {
      return (JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { status?: string }).status === 'done';
    } catch {
      return false;
    }
  });
}

/** Files under `dir` whose content holds `text`. */
function grepTree(dir: string, text: string): string[] {
  const found: string[] = [];
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(sub, { withFileTypes: true })) {
      const file = path.join(sub, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile() && fs.readFileSync(file).includes(text)) found.push(file);
    }
  };
  walk(dir);
  return found;
}

describe('fleet status, merge and close', () => {
  it('shows pull requests with their checks and coverage, merges those whose checks passed by the repository’s method, and closes the rest with a comment', async () => {
    const fleet = makeFleet(stand.github, 4, { pacing: { concurrency: 2 } });
    stand.github.addRepository({ slug: 'octo-org/svc-04', bare: fleet.bare.get('octo-org/svc-04')!, clone_url: fleet.bare.get('octo-org/svc-04')!, allow_merge_commit: false });
    const run = await runFleetCli(fleet, ['run'], env());
    expect(run.code, run.stderr).toBe(0);
    const head = (slug: string) => headOf(fleet, slug, 'orchestrate/phase-1');
    stand.github.statuses.set(head('octo-org/svc-01'), [{ context: 'ci', state: 'success' }]);
    stand.github.checkRuns.set(head('octo-org/svc-01'), [{ name: 'test', status: 'completed', conclusion: 'success' }]);
    stand.github.checkRuns.set(head('octo-org/svc-02'), [{ name: 'lint', status: 'completed', conclusion: 'failure' }]);
    stand.github.statuses.set(head('octo-org/svc-03'), [{ context: 'ci', state: 'pending' }]);
    stand.github.statuses.set(head('octo-org/svc-04'), [{ context: 'ci', state: 'success' }]);

    const table = await runFleetCli(fleet, ['status'], env());
    expect(table.stdout).toContain('4 repositories: 0 merged, 4 open, 0 failed, 0 not started');
    expect(table.stdout).toMatch(/octo-org\/svc-02 +done +1 Foundation +done +#1 open +failure \(0 passed, 1 failed: lint\) +lines 25 % -> 41.5 %/);
    expect(table.stdout).toMatch(/octo-org\/svc-01 .*success \(2 passed\)/);

    const merged = await runFleetCli(fleet, ['merge'], env());
    expect(merged.code).toBe(0);
    expect(merged.stdout).toContain('octo-org/svc-02 phase 1: #1 not merged, checks failure (0 passed, 1 failed: lint)');
    expect(merged.stdout).toContain('octo-org/svc-03 phase 1: #1 not merged, checks pending');
    expect(stand.github.pullsOf('octo-org/svc-01')[0]).toMatchObject({ merged: true, merge_method: 'merge' });
    expect(stand.github.pullsOf('octo-org/svc-04')[0]).toMatchObject({ merged: true, merge_method: 'squash' });
    expect(stand.github.pullsOf('octo-org/svc-02')[0]?.state).toBe('open');

    const closed = await runFleetCli(fleet, ['close', '--comment', 'Called off: see the platform issue.'], env());
    expect(closed.code).toBe(0);
    expect(closed.stderr).toContain('2 closed');
    expect(stand.github.pulls.filter((pull) => pull.state === 'open')).toHaveLength(0);
    expect(stand.github.comments.map((comment) => [comment.repo, comment.body])).toEqual([
      ['octo-org/svc-02', 'Called off: see the platform issue.'],
      ['octo-org/svc-03', 'Called off: see the platform issue.'],
    ]);

    const markdown = await runFleetCli(fleet, ['status', '--format', 'markdown'], env());
    expect(markdown.stdout).toContain('4 repositories: 2 merged, 0 open, 0 failed, 2 not started');
    expect(markdown.stdout).toContain('```mermaid\nxychart-beta');
    expect(markdown.stdout).toMatch(/\| `octo-org\/svc-01` \| done \| 1 Foundation \| done \| \[#1\]\(https:\/\/github.com\/octo-org\/svc-01\/pull\/1\) merged \|/);
    const report = await status(fleet);
    // Over time: all four opened, then two merged.
    expect(report.burndown.some((point) => point.open === 4)).toBe(true);
    expect(report.burndown.at(-1)).toMatchObject({ merged: 2, open: 0 });
  }, 300_000);
});

describe('fleet run, killed and resumed', () => {
  it('ends every repository in the right state after kill -9 in the middle, with no pull request opened twice', async () => {
    const fleet = makeFleet(stand.github, 8, { pacing: { concurrency: 4 } });
    const started = startFleet(fleet, ['run'], env());
    const someDone = await waitUntil(() => doneRecords(fleet).length > 0, 200_000, 50);
    expect(someDone).toBe(true);
    started.child.kill('SIGKILL');
    const killed = await started.result;
    expect(killed.code).toBe(null);
    const doneBefore = doneRecords(fleet).length;
    expect(doneBefore).toBeLessThan(8);

    const resumed = await runFleetCli(fleet, ['run'], env());
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`${doneBefore} repositor${doneBefore === 1 ? 'y is' : 'ies are'} done already`);
    const report = await status(fleet);
    expect(report.counts).toMatchObject({ open: 8, failed: 0, not_started: 0 });
    for (const [slug, bare] of fleet.bare) {
      expect(stand.github.pullsOf(slug), slug).toHaveLength(1);
      expect(git(bare, 'show', 'orchestrate/phase-1:docs/rollout.md'), slug).toBe('rollout note from task 1.1 for platform');
    }
    expect(stand.github.seen('pulls/create').filter((request) => request.status === 201)).toHaveLength(8);
  }, 400_000);
});

describe('fleet run --dry-run', () => {
  it('shows each repository’s changes as diffs and commits, pushes and opens nothing', async () => {
    const fleet = makeFleet(stand.github, 2, {});
    const result = await runFleetCli(fleet, ['run', '--dry-run'], { GITHUB_API_URL: stand.apiUrl, GH_TOKEN: '', GITHUB_TOKEN: '' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('dry run: nothing is committed, pushed or opened');
    for (const slug of ['octo-org/svc-01', 'octo-org/svc-02']) {
      const section = result.stdout.split(`=== ${slug}\n`)[1]?.split('\n=== ')[0] ?? '';
      expect(section, slug).toContain('+rollout note from task 1.1 for platform');
      expect(section, slug).toContain('docs/rollout.md');
      expect(git(fleet.bare.get(slug)!, 'branch', '--list', 'orchestrate/*'), slug).toBe('');
    }
    expect(stand.github.requests).toHaveLength(0);
    expect(fs.existsSync(path.join(fleet.stateDir, 'repos'))).toBe(false);
  }, 300_000);
});
