/**
 * `run --pr` and `orchestrate pr` end to end: the built CLI as a process,
 * real git repositories with a bare origin, and GitHub stood in for by a
 * local server that checks every request against GitHub's OpenAPI
 * description.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, shTask, type PlanInput } from '../helpers/plans.js';
import { git, makeGitRepo, NOTE_TEMPLATE, noteTask, type GitRepo } from './git-fixtures.js';
import { useGitHubDouble } from './use-github-double.js';

const coverageSummary = JSON.stringify({ total: { lines: { pct: 41.5 }, statements: { pct: 40 }, functions: { pct: 30 }, branches: { pct: 20 } } });

/** Phase 1 measures coverage; phase 2 stacks on it; phase 3, beside them, waits on a person. */
const plan: PlanInput = {
  templates_dir: 'templates',
  phases: [
    {
      id: 1,
      name: 'Foundation',
      expected_coverage: { lines: 25 },
      groups: [
        {
          id: 'a',
          tasks: [noteTask('1.1', 'docs/one.md'), shTask('1.2', `mkdir -p coverage && printf '%s' '${coverageSummary}' > coverage/coverage-summary.json`)],
        },
      ],
      checkpoints: [{ name: 'coverage', coverage: { summary: 'coverage/coverage-summary.json', min: { lines: 25 } } }],
    },
    { id: 2, name: 'Critical services', groups: [{ id: 'a', tasks: [noteTask('2.1', 'docs/two.md')] }] },
    {
      id: 3,
      name: 'Branch protection',
      depends_on: [],
      parallel_with: [1, 2],
      groups: [{ id: 'a', tasks: [noteTask('3.1', 'CODEOWNERS.md'), { id: '3.2', name: 'Protect main', type: 'manual', instructions: 'Turn on branch protection for main.' }] }],
    },
  ],
};

const stand = useGitHubDouble();

function newRepo(): GitRepo {
  return makeGitRepo(plan, { ...NOTE_TEMPLATE, '.gitignore': 'coverage/\n' });
}

const env = () => ({ GITHUB_API_URL: stand.apiUrl, GITHUB_REPOSITORY: 'octo-org/service', GITHUB_TOKEN: 'test-token', GITHUB_ACTIONS: '' });
const pr = (phase: string) => stand.github.pulls.find((pull) => pull.head === `orchestrate/phase-${phase}`);

describe('run --pr', () => {
  it('opens one pull request per phase branch, honouring a secondary rate limit and a 502, with the report in the body', async () => {
    const repo = newRepo();
    stand.github.fail({ operationId: 'pulls/list', status: 502, message: 'Server Error' });
    stand.github.fail({ operationId: 'pulls/create', status: 403, headers: { 'retry-after': '1' }, message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' });

    const result = await runCli(repo, ['run', '--all', '--pr', '--draft', '--label', 'rollout', '--reviewer', 'octocat'], { env: env(), timeoutMs: 240_000 });
    expect(result.stderr).toContain('secondary rate limit');
    expect(result.code).toBe(3); // the manual step awaits a person; everything else is done

    // One pull request per branch, never two, though a create was refused once and retried.
    expect(stand.github.pulls.map((pull) => pull.head).sort()).toEqual(['orchestrate/phase-1', 'orchestrate/phase-2', 'orchestrate/phase-3']);
    const creates = stand.github.seen('pulls/create');
    expect(creates.map((request) => request.status)).toEqual([403, 201, 201, 201]);
    // The retry came after the retry-after the answer asked for (1 s), not before.
    expect((creates[1]?.time ?? 0) - (creates[0]?.time ?? 0)).toBeGreaterThanOrEqual(900);
    expect(stand.github.seen('pulls/list')[0]?.status).toBe(502);
    expect(stand.github.seen('pulls/list').filter((request) => request.status === 200)).toHaveLength(3);
    expect(stand.github.requests.every((request) => request.authorization === 'token test-token')).toBe(true);

    // Stacked: phase 2 targets phase 1's branch; the others target main.
    expect(pr('1')?.base).toBe('main');
    expect(pr('2')?.base).toBe('orchestrate/phase-1');
    expect(pr('3')?.base).toBe('main');
    expect(pr('1')).toMatchObject({ title: 'orchestrate: phase 1 - Foundation', draft: true, labels: ['rollout'], reviewers: ['octocat'] });

    const body1 = pr('1')?.body ?? '';
    expect(body1).toContain('| `1.1` | render template note to docs/one.md | file_generation | changed |');
    expect(body1).toContain('| `docs/one.md` | 1 | 0 |');
    expect(body1).toContain('| coverage | passed |');
    expect(body1).toContain('| lines | 25 % | 41.5 % |');
    const body3 = pr('3')?.body ?? '';
    expect(body3).toContain('- [ ] `3.2` Protect main');
    expect(body3).toContain('| `CODEOWNERS.md` | 1 | 0 |');
    // The branches the pull requests name were pushed.
    expect(git(repo.origin, 'rev-parse', 'refs/heads/orchestrate/phase-2')).toBe(git(repo.dir, 'rev-parse', 'orchestrate/phase-2'));
  }, 300_000);

  it('updates the open pull request on a rerun instead of opening another', async () => {
    const repo = newRepo();
    // One exists already for phase 3's branch, opened by someone earlier.
    stand.github.pulls.push({ number: 1, title: 'old title', body: 'old', head: 'orchestrate/phase-3', base: 'main', draft: false, state: 'open', labels: [], reviewers: [] });

    const first = await runCli(repo, ['run', '--all', '--pr', '--yes'], { env: env(), timeoutMs: 240_000 });
    expect(first.code).toBe(0);
    expect(stand.github.pulls).toHaveLength(3);
    expect(pr('3')).toMatchObject({ number: 1, title: 'orchestrate: phase 3 - Branch protection' });
    expect(first.stdout + first.stderr).toContain('updated pull request #1 for phase 3');

    fs.writeFileSync(path.join(repo.dir, 'templates/note.md.hbs'), 'note v2 from task {{task_id}}\n');
    git(repo.dir, 'commit', '--quiet', '-am', 'new template');
    // --force: the coverage task runs again, so the checkpoint reads a fresh report.
    const second = await runCli(repo, ['run', '--all', '--pr', '--yes', '--force'], { env: env(), timeoutMs: 240_000 });
    expect(second.code).toBe(0);
    expect(stand.github.pulls).toHaveLength(3);
    expect(stand.github.seen('pulls/create').filter((request) => request.status === 201)).toHaveLength(2);
    expect(stand.github.seen('pulls/update').length).toBeGreaterThanOrEqual(4);
    expect(git(repo.origin, 'show', 'orchestrate/phase-1:docs/one.md')).toBe('note v2 from task 1.1');
  }, 300_000);

  it('keeps the commits when a pull request cannot be opened, exits 1, and `orchestrate pr` retries only that step', async () => {
    const repo = newRepo();
    stand.github.fail({ operationId: 'pulls/create', status: 422, message: 'Validation Failed' });
    const result = await runCli(repo, ['run', '--phase', '3', '--pr', '--yes'], { env: env(), timeoutMs: 240_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('could not be opened');
    expect(result.stderr).toContain('orchestrate pr --phase 3');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(stand.github.pulls).toHaveLength(0);
    const tip = git(repo.dir, 'rev-parse', 'orchestrate/phase-3');
    expect(git(repo.origin, 'rev-parse', 'refs/heads/orchestrate/phase-3')).toBe(tip);

    const retry = await runCli(repo, ['pr', '--phase', '3'], { env: env() });
    expect(retry.code).toBe(0);
    expect(retry.stdout).toContain('opened pull request #1 for phase 3');
    expect(stand.github.pulls).toHaveLength(1);
    expect(pr('3')?.body).toContain('| `3.2` | Protect main | manual | changed | done by a person |');
    // Nothing was run again: the branch is where the run left it.
    expect(git(repo.dir, 'rev-parse', 'orchestrate/phase-3')).toBe(tip);

    const again = await runCli(repo, ['pr', '--phase', '3'], { env: env() });
    expect(again.code).toBe(0);
    expect(stand.github.pulls).toHaveLength(1);
  }, 300_000);

  it('stops before running anything when there is no token, and `pr` names a phase without a branch', async () => {
    const repo = newRepo();
    const noToken = await runCli(repo, ['run', '--all', '--pr'], { env: { ...env(), GITHUB_TOKEN: '', GH_TOKEN: '' } });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('--pr needs a GitHub token');
    expect(fs.existsSync(path.join(repo.dir, 'docs/one.md'))).toBe(false);

    const noBranch = await runCli(repo, ['pr', '--phase', '2'], { env: env() });
    expect(noBranch.code).toBe(2);
    expect(noBranch.stderr).toContain('phase 2 has no branch orchestrate/phase-2');
    expect(stand.github.requests).toHaveLength(0);
  });
});
