/**
 * A long task through the real CLI: its progress in each reporter, its
 * detail lines in `status` and `--verbose`, and a run killed with SIGKILL
 * half-way whose finished files stay, are not taken for a person's changes
 * by the next run's clean-tree check, and are skipped when that run
 * resumes. The task's handler is a stand-in (test/fixtures/handlers/sourcewise.ts)
 * so the pace is the test's; everything else is the product as built.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatedText } from '../fixtures/handlers/sourcewise.js';
import { git, makeGitRepo } from '../git/git-fixtures.js';
import { jsonEvents, runCli, startCli, waitUntil, type PlanInput, type Repo } from '../helpers/plans.js';
import { cliWithStandIn } from '../helpers/stand-in-cli.js';

let entry = '';
beforeAll(async () => {
  entry = await cliWithStandIn(fileURLToPath(new URL('../fixtures/handlers/sourcewise.ts', import.meta.url)));
}, 300_000);

const sources = (n: number) => Array.from({ length: n }, (_, i) => `src/m${String(i + 1).padStart(2, '0')}.ts`);

function repoWith(count: number, variables: Record<string, unknown> = {}): Repo & { sources: string[] } {
  const list = sources(count);
  const plan: PlanInput = {
    phases: [{ id: '2', name: 'tests', groups: [{ id: 'a', tasks: [{ id: '2.1', name: 'Generate tests', type: 'test_generation', targets: list, retries: 0, variables }] }] }],
  };
  const repo = makeGitRepo(plan, Object.fromEntries(list.map((s) => [s, `export const x = 1;\n`])));
  return { ...repo, sources: list };
}

/** The sources whose generated file is there, whole. */
function onDisk(repo: Repo, list: string[]): string[] {
  const whole = (file: string, text: string) => fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text;
  return list.filter((s) => whole(path.join(repo.dir, `${s}.gen`), generatedText(s)));
}

interface StatusTask {
  id: string;
  status: string;
  summary: string | null;
  details: string[];
  files: string[];
  progress: { done: number; total: number } | null;
}
async function statusTask(repo: Repo): Promise<StatusTask | undefined> {
  const result = await runCli(repo, ['status', '--json'], { entry });
  const report = JSON.parse(result.stdout) as { phases: Array<{ groups: Array<{ tasks: StatusTask[] }> }> };
  return report.phases[0]?.groups[0]?.tasks[0];
}

describe('a long task in the reporters', () => {
  it('plain: one line per progress report, and the details with --verbose', async () => {
    const repo = repoWith(3);
    const result = await runCli(repo, ['run', '--all', '--reporter', 'plain', '--verbose'], { entry });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    for (const [i, s] of repo.sources.entries()) {
      expect(lines.some((l) => new RegExp(`^\\d\\d:\\d\\d:\\d\\d 2\\.1 +test_generation ${i + 1}/3 sources: ${s}$`).test(l)), `progress ${i + 1}`).toBe(true);
      expect(lines.some((l) => l.endsWith(`2.1    · ${s}: written`)), `detail of ${s}`).toBe(true);
    }
    expect(result.stdout).toMatch(/2\.1 +changed {2}wrote 3 of 3 files/);

    const quiet = await runCli(repo, ['run', '--all', '--force', '--reporter', 'plain'], { entry });
    expect(quiet.stdout).toContain('test_generation 3/3 sources');
    expect(quiet.stdout).not.toContain('already complete');
  }, 300_000);

  it('json: task:progress events and the details on task:finish; status shows both summary and details', async () => {
    const repo = repoWith(2);
    const result = await runCli(repo, ['run', '--all', '--reporter', 'json'], { entry });
    const events = jsonEvents(result.stdout);
    expect(events.filter((e) => e.type === 'task:progress').map((e) => [e.done, e.total, e.unit, e.current])).toEqual([
      [1, 2, 'sources', 'src/m01.ts'],
      [2, 2, 'sources', 'src/m02.ts'],
    ]);
    expect(events.find((e) => e.type === 'task:finish')).toMatchObject({ summary: 'wrote 2 of 2 files', details: ['src/m01.ts: written', 'src/m02.ts: written'] });
    // The run log keeps them as well.
    const log = fs.readdirSync(path.join(repo.dir, '.orchestrate/runs')).map((f) => fs.readFileSync(path.join(repo.dir, '.orchestrate/runs', f), 'utf8')).join('');
    expect(log.match(/"type":"task:progress"/g)).toHaveLength(2);

    const task = await statusTask(repo);
    expect(task).toMatchObject({ status: 'done', summary: 'wrote 2 of 2 files', details: ['src/m01.ts: written', 'src/m02.ts: written'], files: ['src/m01.ts.gen', 'src/m02.ts.gen'] });
    const text = await runCli(repo, ['status'], { entry });
    expect(text.stdout).not.toContain('src/m01.ts: written');
    const verbose = await runCli(repo, ['status', '--verbose'], { entry });
    expect(verbose.stdout).toContain('src/m01.ts: written');
  }, 300_000);

  it('github: no line per unit for a short task; the details in its group', async () => {
    const repo = repoWith(3);
    const result = await runCli(repo, ['run', '--all', '--reporter', 'github'], { entry });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toMatch(/^… 2\.1/m);
    const group = result.stdout.slice(result.stdout.indexOf('::group::✓ 2.1'));
    expect(group).toContain('src/m03.ts: written');
  }, 300_000);
});

describe('a long task killed with SIGKILL', () => {
  it('keeps the files it finished, owns them in the state, and the next run resumes after them', async () => {
    const repo = repoWith(8, { delay_ms: 300 });
    git(repo.dir, 'status', '--porcelain'); // committed and clean before the run
    const running = await startCli(repo, ['run', '--all', '--reporter', 'plain'], { entry });
    expect(await waitUntil(() => onDisk(repo, repo.sources).length >= 3, 60_000)).toBe(true);
    running.child.kill('SIGKILL');
    const killed = await running.result;
    expect(killed.signal).toBe('SIGKILL');
    const kept = onDisk(repo, repo.sources);
    expect(kept.length).toBeGreaterThanOrEqual(3);
    expect(kept.length).toBeLessThan(8);

    const task = await statusTask(repo);
    expect(task?.status).toBe('cancelled');
    // How far it got, as its last progress report said.
    expect(task?.progress?.done).toBeGreaterThanOrEqual(kept.length - 1);
    expect((await runCli(repo, ['status'], { entry })).stdout).toMatch(new RegExp(`2\\.1 Generate tests {2}cancelled {2}${task?.progress?.done}/8 sources: src/m\\d+\\.ts`));
    expect(task?.files.toSorted()).toEqual(expect.arrayContaining(kept.map((s) => `${s}.gen`)));

    // The kept files are untracked changes in the working tree; the check before the next run knows them as the task's.
    const resumed = await runCli(repo, ['run', '--all', '--reporter', 'json'], { entry, timeoutMs: 30_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    const finish = jsonEvents(resumed.stdout).find((e) => e.type === 'task:finish') as { details: string[] } | undefined;
    for (const s of kept) expect(finish?.details).toContain(`${s}: already complete`);
    expect(onDisk(repo, repo.sources)).toEqual(repo.sources);
    const after = await statusTask(repo);
    expect(after?.status).toBe('done');
    expect(after?.files.toSorted()).toEqual(repo.sources.map((s) => `${s}.gen`));
  }, 300_000);

  it('is refused by the clean-tree check when a person changed a file that no task kept', async () => {
    const repo = repoWith(2);
    fs.writeFileSync(path.join(repo.dir, 'notes.txt'), 'mine\n');
    const result = await runCli(repo, ['run', '--all', '--reporter', 'plain'], { entry });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('notes.txt');
  }, 300_000);
});
