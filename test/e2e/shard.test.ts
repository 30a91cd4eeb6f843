/**
 * `run --shard i/n` and `merge-results` through the real CLI, on real git
 * repositories: a small TypeScript project committed once, three clones each
 * running one shard (as three matrix jobs would), and a fourth clone where
 * the shards' folders are merged. The project sits under node_modules/.cache
 * so the generated tests are verified with the Vitest installed here.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree, runCli, statusJson, type PlanInput, type Repo } from '../helpers/plans.js';
import { cacheDir } from '../test-generation/harness.js';

const SOURCES: Record<string, string> = {
  'src/add.ts': 'export function add(a: number, b: number): number {\n  return a + b;\n}\n',
  'src/sub.ts': 'export function sub(a: number, b: number): number {\n  return a - b;\n}\n',
  'src/mul.ts': 'export function mul(a: number, b: number): number {\n  return a * b;\n}\n',
  'src/neg.ts': 'export function neg(a: number): number {\n  return -a;\n}\n',
  'src/half.ts': 'export function half(a: number): number {\n  return a / 2;\n}\n',
};
const TESTS = Object.keys(SOURCES).map((source) => `test/${path.basename(source, '.ts')}.test.ts`).sort();
const VITEST = path.join(cacheDir, '..', '..', 'vitest', 'vitest.mjs');

function plan(verify: boolean): PlanInput {
  return {
    phases: [
      { id: 1, name: 'setup', groups: [{ id: 'a', tasks: [{ id: '1.1', type: 'command', run: ['sh', '-c', 'echo configured > notes.txt'] }] }] },
      {
        id: 2,
        name: 'tests',
        depends_on: [1],
        groups: [{ id: 'a', tasks: [{ id: '2.1', type: 'test_generation', targets: 'src/**/*.ts', test_file: 'test/{name}.test.ts', verify, budget: 5 }] }],
        checkpoints: [{ name: 'tests pass', run: [process.execPath, VITEST, 'run'] }],
      },
    ],
  };
}

const made: string[] = [];
afterAll(() => {
  if (!process.env.KEEP_PROJECTS) for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A committed repository holding the project and `planInput`, in a fresh folder; its clones go beside it. */
function baseRepo(planInput: PlanInput): { folder: string; base: string } {
  fs.mkdirSync(cacheDir, { recursive: true });
  const folder = fs.realpathSync(fs.mkdtempSync(path.join(cacheDir, 'shard-')));
  made.push(folder);
  const base = path.join(folder, 'base');
  const files: Record<string, string> = {
    ...SOURCES,
    'package.json': `${JSON.stringify({ name: 'calc', private: true, type: 'module', scripts: { test: 'vitest run' }, devDependencies: { vitest: '4' } }, null, 2)}\n`,
    'phases.yaml': `${JSON.stringify({ version: 1, project: { name: 'calc' }, ...planInput }, null, 2)}\n`,
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(base, name)), { recursive: true });
    fs.writeFileSync(path.join(base, name), text);
  }
  git(base, 'init', '-q', '-b', 'main');
  git(base, 'config', 'user.email', 'ci@example.com');
  git(base, 'config', 'user.name', 'CI');
  git(base, 'add', '-A');
  git(base, 'commit', '-q', '-m', 'calc');
  return { folder, base };
}

function clone(folder: string, name: string): Repo {
  const dir = path.join(folder, name);
  execFileSync('git', ['clone', '-q', path.join(folder, 'base'), dir]);
  git(dir, 'config', 'user.email', 'ci@example.com');
  git(dir, 'config', 'user.name', 'CI');
  return { dir, planFile: path.join(dir, 'phases.yaml') };
}

interface Manifest {
  shard: { index: number; count: number };
  files: Record<string, string | null>;
  tasks: Record<string, string>;
  baseCommit?: string;
}

function manifest(repo: Repo, index: number, count: number): Manifest {
  return JSON.parse(fs.readFileSync(path.join(repo.dir, '.orchestrate', `shard-${index}-of-${count}`, 'shard.json'), 'utf8')) as Manifest;
}

/** The tree a user would see, without the state folder (which a refused merge must not touch either). */
function tree(repo: Repo): Record<string, string> {
  return Object.fromEntries(Object.entries(hashTree(repo.dir)).filter(([file]) => !file.startsWith('.git/') && file !== '.git/'));
}

describe('three shards in three clones, merged in a fourth', () => {
  let folder: string;
  let shards: Repo[];
  let target: Repo;
  const shardRuns: Array<{ code: number | null; stdout: string; stderr: string }> = [];

  beforeAll(async () => {
    ({ folder } = baseRepo(plan(true)));
    shards = [1, 2, 3].map((i) => clone(folder, `job-${i}`));
    // One after the other: the machine is shared, and a matrix's jobs are separate machines anyway.
    for (const [i, repo] of shards.entries()) shardRuns.push(await runCli(repo, ['run', '--all', '--shard', `${i + 1}/3`, '--reporter', 'plain'], { timeoutMs: 300_000 }));
    target = clone(folder, 'merge');
  }, 900_000);

  it('each shard generates and verifies its own share; together they cover every source once', () => {
    for (const run of shardRuns) expect(run.code, run.stderr + run.stdout).toBe(0);
    const shares = shards.map((repo, i) => Object.keys(manifest(repo, i + 1, 3).files).filter((file) => file.startsWith('test/')));
    expect(shares.flat().sort()).toEqual(TESTS);
    expect(new Set(shares.flat()).size).toBe(TESTS.length);
    // Balanced: five sources over three shards are 2, 2 and 1.
    expect(shares.map((share) => share.length).sort()).toEqual([1, 2, 2]);
    // The other task runs in shard 1 only.
    expect(fs.existsSync(path.join(shards[0]!.dir, 'notes.txt'))).toBe(true);
    expect(fs.existsSync(path.join(shards[1]!.dir, 'notes.txt'))).toBe(false);
    expect(shardRuns[1]!.stdout).toContain('runs in shard 1 of 3; this is shard 2');
    expect(manifest(shards[1]!, 2, 3).tasks).toEqual({ '1.1': 'elsewhere', '2.1': 'split' });
    // Checkpoints wait for the merged tree.
    for (const run of shardRuns) expect(run.stdout).not.toContain('checkpoint tests pass');
    expect(shardRuns[2]!.stderr).toContain('shard 3/3: results in .orchestrate/shard-3-of-3');
    // What comes next for a shard is the merge, not the phase again.
    for (const run of shardRuns) expect(run.stdout).not.toMatch(/orchestrate run --phase/);
  });

  it('a dry run of a shard in another clone lists the same share', async () => {
    const dry = await runCli(target, ['run', '--all', '--dry-run', '--shard', '2/3', '--reporter', 'plain', '--verbose'], { timeoutMs: 300_000 });
    expect(dry.code, dry.stderr).toBe(0);
    const listed = [...dry.stdout.matchAll(/would write (test\/\S+\.test\.ts)/g)].map((m) => m[1]).sort();
    const share = Object.keys(manifest(shards[1]!, 2, 3).files).sort();
    expect(listed).toEqual(share);
    expect(dry.stdout).toMatch(/apply it: orchestrate run --all --shard 2\/3/);
    expect(fs.existsSync(path.join(target.dir, '.orchestrate', 'shard-2-of-3'))).toBe(false);
  }, 300_000);

  it('merge-results brings in every file once and status sees one run; the next run runs the checkpoints', async () => {
    const folders = shards.map((repo, i) => path.join(repo.dir, '.orchestrate', `shard-${i + 1}-of-3`));
    const merged = await runCli(target, ['merge-results', ...folders]);
    expect(merged.code, merged.stderr + merged.stdout).toBe(0);
    expect(merged.stdout).toContain('Merged 3 shards into run');
    for (const file of [...TESTS, 'notes.txt']) {
      const from = shards.find((repo) => fs.existsSync(path.join(repo.dir, file)))!;
      expect(fs.readFileSync(path.join(target.dir, file), 'utf8'), file).toBe(fs.readFileSync(path.join(from.dir, file), 'utf8'));
    }
    const status = await statusJson(target);
    expect(status.runs).toBe(1);
    const tasks = status.phases.flatMap((p) => p.groups.flatMap((g) => g.tasks));
    expect(tasks.map((t) => [t.id, t.status])).toEqual([
      ['1.1', 'done'],
      ['2.1', 'done'],
    ]);
    expect(tasks[1]!.summary).toBe('wrote 5 files over 3 shards');
    expect(status.phases.find((p) => p.id === '2')!.checkpoints).toEqual([]);

    // Merging the same shards again changes nothing.
    const before = tree(target);
    const again = await runCli(target, ['merge-results', ...folders]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('were merged before');
    expect(tree(target)).toEqual(before);
    expect((await statusJson(target)).runs).toBe(1);

    const resumed = await runCli(target, ['run', '--all', '--commit', '--reporter', 'plain'], { timeoutMs: 300_000 });
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
    expect(resumed.stdout).toContain('checkpoint tests pass passed');
    const after = await statusJson(target);
    expect(after.phases.map((p) => p.status)).toEqual(['done', 'done']);
    // The phase commit holds every shard's tests.
    expect(git(target.dir, 'show', '--name-only', '--format=', 'HEAD').split('\n').filter((f) => f.startsWith('test/')).sort()).toEqual(TESTS);
  }, 600_000);
});

describe('merge-results refuses, and writes nothing', () => {
  let folder: string;
  let shards: Repo[];

  beforeAll(async () => {
    ({ folder } = baseRepo(plan(false)));
    shards = [1, 2, 3].map((i) => clone(folder, `job-${i}`));
    for (const [i, repo] of shards.entries()) {
      const result = await runCli(repo, ['run', '--all', '--shard', `${i + 1}/3`, '--reporter', 'plain'], { timeoutMs: 300_000 });
      if (result.code !== 0) throw new Error(result.stderr + result.stdout);
    }
  }, 900_000);

  const bundle = (i: number) => path.join(shards[i - 1]!.dir, '.orchestrate', `shard-${i}-of-3`);

  async function refused(target: Repo, folders: string[], message: string | RegExp): Promise<void> {
    const before = tree(target);
    const result = await runCli(target, ['merge-results', ...folders]);
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
    expect(tree(target)).toEqual(before);
    expect(fs.existsSync(path.join(target.dir, '.orchestrate', 'runs'))).toBe(false);
  }

  it('a missing shard, naming it', async () => {
    await refused(clone(folder, 'm-missing'), [bundle(1), bundle(3)], 'shard 2 of 3 is missing (given: 1, 3)');
  });

  it('a shard given twice', async () => {
    await refused(clone(folder, 'm-twice'), [bundle(1), bundle(2), bundle(2)], /shard 2\/3 is given twice: .*job-2.* and .*job-2/);
  });

  it('shards of a run split differently', async () => {
    const other = clone(folder, 'job-other');
    const result = await runCli(other, ['run', '--all', '--shard', '2/2', '--reporter', 'plain'], { timeoutMs: 300_000 });
    expect(result.code, result.stderr).toBe(0);
    await refused(clone(folder, 'm-split'), [bundle(1), path.join(other.dir, '.orchestrate', 'shard-2-of-2'), bundle(3)], /holds shard 1\/3 but .*job-other.* holds shard 2\/2/);
  }, 300_000);

  it('a different plan', async () => {
    const target = clone(folder, 'm-plan');
    fs.appendFileSync(target.planFile, '\n# changed\n');
    await refused(target, [bundle(1), bundle(2), bundle(3)], /job-1.* \(shard 1\/3\) ran a different plan: \S*phases\.yaml had sha256 [0-9a-f]{12}, the target's \S*phases\.yaml has [0-9a-f]{12}/);
  });

  it('a target on another commit', async () => {
    const target = clone(folder, 'm-commit');
    fs.writeFileSync(path.join(target.dir, 'README.md'), 'later\n');
    git(target.dir, 'add', 'README.md');
    git(target.dir, 'commit', '-q', '-m', 'later');
    await refused(target, [bundle(1), bundle(2), bundle(3)], /ran on commit [0-9a-f]{12}, but the target is at [0-9a-f]{12}/);
  });

  it('a damaged copy of a file', async () => {
    const copy = fs.mkdtempSync(path.join(folder, 'damaged-'));
    fs.cpSync(bundle(2), copy, { recursive: true });
    const file = Object.keys(manifest(shards[1]!, 2, 3).files)[0]!;
    fs.appendFileSync(path.join(copy, 'files', file), '// edited\n');
    await refused(clone(folder, 'm-damaged'), [bundle(1), copy, bundle(3)], `the copy of ${file} does not match what the shard wrote`);
  });

  it('a file the target changed and did not commit', async () => {
    const target = clone(folder, 'm-dirty');
    const file = Object.keys(manifest(shards[2]!, 3, 3).files)[0]!;
    fs.mkdirSync(path.dirname(path.join(target.dir, file)), { recursive: true });
    fs.writeFileSync(path.join(target.dir, file), '// mine\n');
    await refused(target, [bundle(1), bundle(2), bundle(3)], `the target has uncommitted changes to a file the shards wrote: ${file}`);
  });

  it('a file a symlink would lead out of the target', async () => {
    const target = clone(folder, 'm-symlink');
    const outside = fs.mkdtempSync(path.join(folder, 'outside-'));
    fs.symlinkSync(outside, path.join(target.dir, 'test'));
    await refused(target, [bundle(1), bundle(2), bundle(3)], /test\/\w+\.test\.ts leads out of the target through a symlink/);
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it('a folder without shard results', async () => {
    await refused(clone(folder, 'm-none'), [bundle(1), path.join(folder, 'base', 'src'), bundle(3)], /src holds no shard results: no shard\.json, and no \.orchestrate\/shard-i-of-n\/ in it/);
  });

  it('accepts the checkouts the shards ran in, as well as their folders', async () => {
    const target = clone(folder, 'm-checkouts');
    const result = await runCli(target, ['merge-results', ...shards.map((repo) => repo.dir)]);
    expect(result.code, result.stderr).toBe(0);
    expect(TESTS.every((file) => fs.existsSync(path.join(target.dir, file)))).toBe(true);
  });
});

describe('two tasks writing one file from different shards', () => {
  it('is refused as a conflict, naming the file and both shards', async () => {
    // Two single-source tasks whose ids put them in different shards of 2, both writing test/shared.test.ts.
    const task = (id: string, target: string) => ({ id, type: 'test_generation', target, test_file: 'test/shared.test.ts', verify: false, budget: 5 });
    const { shardOfItem } = await import('../../src/plan/shard.js');
    const ids = ['2.1', '2.2', '2.3', '2.4', '2.5'];
    const first = ids.find((id) => shardOfItem(0, 2, id) === 1)!;
    const second = ids.find((id) => shardOfItem(0, 2, id) === 2)!;
    const { folder } = baseRepo({ phases: [{ id: 2, name: 'tests', groups: [{ id: 'a', tasks: [task(first, 'src/add.ts'), task(second, 'src/sub.ts')] }] }] });
    const jobs = [1, 2].map((i) => clone(folder, `job-${i}`));
    for (const [i, repo] of jobs.entries()) {
      const result = await runCli(repo, ['run', '--all', '--shard', `${i + 1}/2`, '--reporter', 'plain'], { timeoutMs: 300_000 });
      expect(result.code, result.stderr + result.stdout).toBe(0);
    }
    const target = clone(folder, 'merge');
    const before = tree(target);
    const result = await runCli(target, ['merge-results', ...jobs.map((repo) => repo.dir)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/test\/shared\.test\.ts was written differently by shard 1\/2 \(.*job-1\) and shard 2\/2 \(.*job-2\)/);
    expect(tree(target)).toEqual(before);
  }, 600_000);
});

describe('--shard', () => {
  let repo: Repo;
  beforeAll(() => {
    const { folder } = baseRepo(plan(false));
    repo = clone(folder, 'flags');
  });

  it.each([
    ['0/3', 'the shard must be between 1 and 3'],
    ['4/3', 'the shard must be between 1 and 3'],
    ['2/0', 'the number of shards must be at least 1'],
    ['two/3', 'is not of the form i/n'],
    ['2', 'is not of the form i/n'],
  ])('refuses %s with exit 2 and says how to write it', async (value, message) => {
    const result = await runCli(repo, ['run', '--all', '--shard', value]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('--shard i/n');
    expect(fs.existsSync(path.join(repo.dir, '.orchestrate'))).toBe(false);
  });

  it('refuses the git steps, which belong after the merge', async () => {
    const result = await runCli(repo, ['run', '--all', '--shard', '1/2', '--pr']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--shard cannot be used with --pr');
  });

  it('plan --shard says which tasks split, which run in shard 1, and that checkpoints wait', async () => {
    const result = await runCli(repo, ['plan', '--shard', '2/3']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('[runs in shard 1, not here]');
    expect(result.stdout).toContain('[shard 2/3: its share of the sources]');
    expect(result.stdout).toContain('after merge-results: tests pass');
    const json = await runCli(repo, ['plan', '--shard', '1/3', '--format', 'json']);
    const data = JSON.parse(json.stdout) as { shard: unknown; phases: Array<{ groups: Array<{ tasks: Array<{ id: string; description: string }> }> }> };
    expect(data.shard).toEqual({ index: 1, count: 3 });
    expect(data.phases.flatMap((p) => p.groups.flatMap((g) => g.tasks)).map((t) => t.description.split(']')[0])).toEqual(['[shard 1: all of it', '[shard 1/3: its share of the sources']);
  });
});

describe('shards whose task failed', () => {
  it('merge as a failed task (exit 1) that the next run does again, whole', async () => {
    // No test framework in package.json: test generation fails in every shard that has sources.
    const { folder, base } = baseRepo(plan(false));
    fs.writeFileSync(path.join(base, 'package.json'), `${JSON.stringify({ name: 'calc', private: true, type: 'module' })}\n`);
    git(base, 'commit', '-q', '-am', 'no test framework');
    const jobs = [1, 2].map((i) => clone(folder, `job-${i}`));
    for (const [i, repo] of jobs.entries()) {
      const result = await runCli(repo, ['run', '--all', '--shard', `${i + 1}/2`, '--reporter', 'plain'], { timeoutMs: 300_000 });
      expect(result.code, result.stderr + result.stdout).toBe(1);
      expect(fs.existsSync(path.join(repo.dir, '.orchestrate', `shard-${i + 1}-of-2`, 'shard.json'))).toBe(true);
    }
    const target = clone(folder, 'merge');
    const merged = await runCli(target, ['merge-results', ...jobs.map((repo) => repo.dir)]);
    expect(merged.code, merged.stderr + merged.stdout).toBe(1);
    expect(merged.stdout).toContain('2.1 failed: failed in a shard over 2 shards; see the details');
    const status = await statusJson(target);
    const task = status.phases.flatMap((p) => p.groups.flatMap((g) => g.tasks)).find((t) => t.id === '2.1')!;
    expect(task.status).toBe('failed');
    expect(task.error).toMatch(/^shard 1\/2: could not tell which test framework the target uses/m);
    expect(task.error).toMatch(/^shard 2\/2: could not tell which test framework the target uses/m);
    // The next run, unsharded, does the task again over every source.
    const again = await runCli(target, ['run', '--all', '--reporter', 'plain'], { timeoutMs: 300_000 });
    expect(again.stdout).toMatch(/2\.1\s+start/);
    expect(again.stdout).toContain('could not tell which test framework');
  }, 600_000);
});
