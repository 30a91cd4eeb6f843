/**
 * The example sharded workflow (examples/github-actions/sharded-tests.yml):
 * valid by GitHub's schema, and its run steps, executed with bash as a
 * runner would (each job in its own clone of a bare origin, the step's
 * environment given, the artifacts copied where download-artifact puts
 * them), generate the tests in four shards, merge them, run the checkpoint
 * and open one pull request against the GitHub stand-in.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliPath, repoRoot } from '../helpers/cli.js';
import { useGitHubDouble } from '../git/use-github-double.js';
import { cacheDir } from '../test-generation/harness.js';

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  env: Record<string, string>;
  jobs: Record<string, { steps: Step[]; needs?: string; strategy?: { matrix: { shard: number[] } } }>;
}

const text = fs.readFileSync(path.join(repoRoot, 'examples/github-actions/sharded-tests.yml'), 'utf8');
const workflow = parse(text) as Workflow;

function runOf(job: string, name: string): string {
  const step = workflow.jobs[job]?.steps.find((candidate) => candidate.name === name);
  if (!step?.run) throw new Error(`sharded-tests.yml: job ${job} has no run step "${name}"`);
  return step.run;
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } }).trim();
}

const stand = useGitHubDouble();
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A step's script under bash in `cwd`, with `orchestrate` (the build) on the PATH and a HOME of its own. */
async function runStep(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const bin = path.join(cwd, '..', 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, 'orchestrate'), `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n`, { mode: 0o755 });
  const { GITHUB_ACTIONS: _a, GITHUB_REPOSITORY: _r, ...inherited } = process.env;
  const child = spawn('bash', ['-e', '-c', script], { cwd, env: { ...inherited, ...workflow.env, HOME: path.join(cwd, '..'), PATH: `${bin}:${process.env.PATH ?? ''}`, NO_COLOR: '1', CI: 'true', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

const SOURCES = ['add', 'sub', 'mul', 'neg', 'half'];

describe('examples/github-actions/sharded-tests.yml', () => {
  it('passes GitHub’s schema: a shard matrix uploading its folder, a merge job after it', () => {
    expect(validateWorkflow(text).errors).toEqual([]);
    const upload = workflow.jobs.shard?.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.with).toMatchObject({ path: '.orchestrate/shard-${{ matrix.shard }}-of-${{ strategy.job-total }}/', 'include-hidden-files': true });
    expect(workflow.jobs.merge?.needs).toBe('shard');
    expect(workflow.jobs.merge?.steps.some((step) => step.uses?.startsWith('actions/download-artifact@'))).toBe(true);
  });

  it('generates in four jobs, merges, runs the checkpoint and opens one pull request, run step by run step', async () => {
    fs.mkdirSync(cacheDir, { recursive: true });
    const folder = fs.realpathSync(fs.mkdtempSync(path.join(cacheDir, 'shard-workflow-')));
    made.push(folder);
    const origin = path.join(folder, 'origin.git');
    const seed = path.join(folder, 'seed');
    const files: Record<string, string> = {
      'package.json': `${JSON.stringify({ name: 'calc', private: true, type: 'module', devDependencies: { vitest: '4' } }, null, 2)}\n`,
      'phases.yaml': `${JSON.stringify({
        version: 1,
        project: { name: 'calc' },
        phases: [{ id: 1, name: 'tests', groups: [{ id: 'a', tasks: [{ id: '1.1', type: 'test_generation', targets: 'src/*.ts', test_file: 'test/{name}.test.ts', verify: false, budget: 5 }] }], checkpoints: [{ name: 'every source has a test', run: ['sh', '-c', `for s in ${SOURCES.join(' ')}; do test -f test/$s.test.ts; done`] }] }],
      })}\n`,
      ...Object.fromEntries(SOURCES.map((name) => [`src/${name}.ts`, `export function ${name}(a: number): number {\n  return a;\n}\n`])),
    };
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(seed, name)), { recursive: true });
      fs.writeFileSync(path.join(seed, name), content);
    }
    git(folder, 'init', '--quiet', '--bare', '--initial-branch=main', origin);
    git(seed, 'init', '--quiet', '--initial-branch=main');
    git(seed, 'add', '-A');
    git(seed, '-c', 'user.name=Seed', '-c', 'user.email=seed@example.com', 'commit', '--quiet', '-m', 'calc');
    git(seed, 'push', '--quiet', origin, 'main');
    const checkout = (name: string) => {
      const dir = path.join(folder, name, 'work');
      fs.mkdirSync(path.dirname(dir), { recursive: true });
      git(folder, 'clone', '--quiet', origin, dir);
      return dir;
    };
    const runnerTemp = path.join(folder, 'runner-temp');

    const shards = workflow.jobs.shard!.strategy!.matrix.shard;
    for (const shard of shards) {
      const work = checkout(`shard-${shard}`);
      const env = { PHASE: '1', SHARD: String(shard), SHARDS: String(shards.length) };
      const result = await runStep(runOf('shard', "Generate this shard's tests"), work, env);
      expect(result.code, result.stderr + result.stdout).toBe(0);
      // upload-artifact, then download-artifact by pattern: each artifact in a folder named after it.
      fs.cpSync(path.join(work, '.orchestrate', `shard-${shard}-of-${shards.length}`), path.join(runnerTemp, 'shards', `shard-${shard}`), { recursive: true });
    }

    const work = checkout('merge');
    const env = { RUNNER_TEMP: runnerTemp, PHASE: '1', GITHUB_TOKEN: 'test-token', GITHUB_API_URL: stand.apiUrl, GITHUB_REPOSITORY: 'octo-org/service' };
    const merged = await runStep(runOf('merge', 'Merge the shards'), work, env);
    expect(merged.code, merged.stderr + merged.stdout).toBe(0);
    expect(merged.stdout).toContain('Merged 4 shards');
    const finished = await runStep(runOf('merge', 'Checkpoints and pull request'), work, env);
    expect(finished.code, finished.stderr + finished.stdout).toBe(0);
    const status = await runStep(runOf('merge', 'Status'), work, env);
    expect(status.stdout).toMatch(/✓ Phase 1 tests\s+done 1\/1/);
    expect(status.stdout).toContain('✓ checkpoint every source has a test');

    // One pull request, whose branch holds every shard's tests.
    expect(stand.github.pulls.map((pull) => pull.head)).toEqual(['orchestrate/phase-1']);
    const pushed = git(origin, 'ls-tree', '-r', '--name-only', 'orchestrate/phase-1').split('\n');
    expect(pushed.filter((file) => file.startsWith('test/')).sort()).toEqual(SOURCES.map((name) => `test/${name}.test.ts`).sort());
  }, 600_000);
});
