/**
 * What a run says to do next, and whether doing it works: the suggested
 * commands keep `--config`/`--cwd`, never name a phase already done, and a
 * phase resumed after a person's approval or rerun with `--force` ends the
 * same in the recap and in `status`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, runCli, shTask, statusJson, type PlanInput } from '../helpers/plans.js';

/** The lines under "Next:" in a recap. */
function nextLines(stdout: string): string[] {
  const at = stdout.lastIndexOf('\nNext:\n');
  return at < 0 ? [] : stdout.slice(at + '\nNext:\n'.length).split('\n').filter((line) => line.startsWith('  ')).map((line) => line.trim());
}

const chain: PlanInput = {
  phases: [
    { id: 1, name: 'First', groups: [{ id: 'a', tasks: [shTask('1.1', 'true'), shTask('1.2', 'true')] }], checkpoints: [{ name: 'ok', run: ['true'] }] },
    { id: 2, name: 'Second', groups: [{ id: 'a', tasks: [shTask('2.1', 'true')] }] },
    { id: 3, name: 'Third', groups: [{ id: 'a', tasks: [shTask('3.1', 'true')] }] },
  ],
};

describe('Next:', () => {
  it('keeps --config and --cwd in every suggestion, and suggests the phase that is next', async () => {
    const repo = makeRepo(chain);
    const result = await runCli(repo, ['run', '--phase', '1', '--reporter', 'plain']);
    expect(result.code, result.stderr).toBe(0);
    const keep = `--config ${repo.planFile} --cwd ${repo.dir}`;
    expect(nextLines(result.stdout)).toEqual([`orchestrate run --phase 2${' '}${keep}   (Second)`, `orchestrate status ${keep}`]);
  });

  it('never suggests a phase that is already done', async () => {
    const repo = makeRepo(chain);
    expect((await runCli(repo, ['run', '--all'])).code).toBe(0);
    const again = await runCli(repo, ['run', '--phase', '1', '--force', '--reporter', 'plain']);
    expect(again.code, again.stderr).toBe(0);
    expect(nextLines(again.stdout).join('\n')).not.toContain('run --phase');
  });

  it('names the approval with the options that reach the same plan', async () => {
    const repo = makeRepo({ phases: [{ id: 1, name: 'Review', groups: [{ id: 'a', tasks: [{ id: '1.1', type: 'manual', instructions: 'Protect main.' }] }] }] });
    const result = await runCli(repo, ['run', '--all', '--reporter', 'plain']);
    expect(result.code).toBe(3);
    const keep = `--config ${repo.planFile} --cwd ${repo.dir}`;
    expect(nextLines(result.stdout)).toContain(`orchestrate approve 1.1 ${keep}   (or: orchestrate skip 1.1 ${keep})`);
  });
});

describe('hints of errors', () => {
  it('keep --config and --cwd in the command they suggest', async () => {
    const repo = makeRepo(chain);
    const refused = await runCli(repo, ['run', '--phase', '2']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`(orchestrate run --phase 1 --config ${repo.planFile} --cwd ${repo.dir})`);
  });
});

describe('no dead ends', () => {
  it('runs the checkpoints of a phase resumed after an approval, taking the report its own command made', async () => {
    const plan: PlanInput = {
      phases: [
        {
          id: 1,
          name: 'Measure',
          groups: [
            { id: 'a', tasks: [shTask('1.1', 'mkdir -p coverage && echo \'{"total":{"lines":{"total":10,"covered":5,"skipped":0,"pct":50}}}\' > coverage/coverage-summary.json')] },
            { id: 'b', tasks: [{ id: '1.2', type: 'manual', instructions: 'Look at the report.' }] },
          ],
          checkpoints: [{ name: 'coverage', coverage: { summary: 'coverage/coverage-summary.json', min: { lines: 40 } } }],
        },
      ],
    };
    const repo = makeRepo(plan);
    expect((await runCli(repo, ['run', '--phase', '1'])).code).toBe(3);
    expect((await runCli(repo, ['approve', '1.2'])).code).toBe(0);
    const resumed = await runCli(repo, ['run', '--phase', '1', '--reporter', 'plain']);
    expect(resumed.stdout).not.toContain('older than this phase');
    expect(resumed.code, resumed.stdout).toBe(0);
    expect((await statusJson(repo)).phases[0]?.status).toBe('done');
  });

  it('agrees with status after `run --task X --force`: the phase is whole again, its checkpoints ran', async () => {
    const repo = makeRepo(chain);
    expect((await runCli(repo, ['run', '--all'])).code).toBe(0);
    const forced = await runCli(repo, ['run', '--task', '1.2', '--force', '--reporter', 'plain']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/Phase 1 First: done/);
    expect(forced.stdout).toMatch(/checkpoint ok/);
    const status = await statusJson(repo);
    expect(status.phases.map((p) => p.status)).toEqual(['done', 'done', 'done']);
  });

  it('says a phase is not complete when only some of its tasks ran, as status does', async () => {
    const repo = makeRepo(chain);
    const some = await runCli(repo, ['run', '--task', '1.2', '--reporter', 'plain']);
    expect(some.code, some.stderr).toBe(0);
    expect(some.stdout).toContain('Phase 1 First: selected tasks done; the phase is not complete');
    expect((await statusJson(repo)).phases[0]?.status).toBe('pending');
  });

  it('reruns with --force without failing: a set done through its own selector, a generated file a later task edited', async () => {
    const plan: PlanInput = {
      templates_dir: 'templates',
      phases: [
        {
          id: 1,
          name: 'Workflows',
          groups: [
            {
              id: 'a',
              tasks: [
                { id: '1.1', type: 'config_edit', action: 'yaml_set', file: '.github/workflows/ci.yml', params: { path: 'jobs.*.steps[uses=actions/checkout@v3].uses', value: 'actions/checkout@v4' } },
                { id: '1.2', type: 'file_generation', template: 'gen', target: '.github/workflows/gen.yml' },
                { id: '1.3', type: 'config_edit', action: 'yaml_set', file: '.github/workflows/gen.yml', params: { path: 'jobs.test.timeout-minutes', value: 10 } },
              ],
            },
          ],
        },
      ],
    };
    const repo = makeRepo(plan, {
      '.github/workflows/ci.yml': 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v3\n      - run: npm test\n',
      'templates/gen.yml.hbs': 'name: generated\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n',
    });
    const first = await runCli(repo, ['run', '--all', '--reporter', 'plain']);
    expect(first.code, first.stdout).toBe(0);
    const forced = await runCli(repo, ['run', '--all', '--force', '--reporter', 'plain']);
    expect(forced.stdout).not.toContain('matches nothing');
    expect(forced.stdout).not.toContain('already exists and differs');
    expect(forced.code, forced.stdout).toBe(0);
    expect(forced.stdout).toMatch(/Tasks: 3 unchanged \(of 3\)/);
    expect((await runCli(repo, ['run', '--all'])).code).toBe(0);
  });

  it('shows a done phase whose dependency failed on a rerun as waiting on it, in status as in the recap', async () => {
    const plan: PlanInput = {
      phases: [
        { id: 1, name: 'First', groups: [{ id: 'a', tasks: [shTask('1.1', 'true'), shTask('1.2', 'true')] }], checkpoints: [{ name: 'not broken', run: ['sh', '-c', 'test ! -f broken'] }] },
        { id: 2, name: 'Second', groups: [{ id: 'a', tasks: [shTask('2.1', 'true')] }] },
      ],
    };
    const repo = makeRepo(plan);
    expect((await runCli(repo, ['run', '--all'])).code).toBe(0);
    fs.writeFileSync(path.join(repo.dir, 'broken'), '');
    const forced = await runCli(repo, ['run', '--task', '1.2', '--force', '--reporter', 'plain']);
    expect(forced.code).toBe(1);
    expect(forced.stdout).toMatch(/Phase 1 First: failed/);
    const status = await runCli(repo, ['status']);
    expect(status.stdout).toMatch(/Phase 1 First\s+failed/);
    expect(status.stdout).toMatch(/Phase 2 Second\s+done 1\/1.*phase 1 it depends on is not done now/);
  });
});
