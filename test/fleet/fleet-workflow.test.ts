/**
 * The example fleet workflow (examples/github-actions/fleet.yml): valid by
 * GitHub's schema, and its run steps, executed with bash as a runner would
 * (the step's environment given, artifacts copied between the jobs'
 * folders), plan a matrix, run one repository per job against the GitHub
 * stand-in (each job's step is the action itself in fleet mode: its run step
 * executed with the job's `with:` inputs), and merge the results into one
 * step summary.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliPath, repoRoot } from '../helpers/cli.js';
import { git } from '../git/git-fixtures.js';
import { useGitHubDouble } from '../git/use-github-double.js';
import { runActionStep } from './action-step.js';
import { makeFleet, writeFleet } from './fleet-fixtures.js';

interface Step {
  name?: string;
  id?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
}
interface Workflow {
  env: Record<string, string>;
  jobs: Record<string, { steps: Step[]; strategy?: { matrix: string; 'max-parallel': string } }>;
}

const text = fs.readFileSync(path.join(repoRoot, 'examples/github-actions/fleet.yml'), 'utf8');
const workflow = parse(text) as Workflow;

const stand = useGitHubDouble('octo-org', 'platform');

function runOf(job: string, name: string): string {
  const step = workflow.jobs[job]?.steps.find((candidate) => candidate.name === name || candidate.id === name);
  if (!step?.run) throw new Error(`fleet.yml: job ${job} has no run step ${name}`);
  return step.run;
}

function stepOf(job: string, name: string): Step {
  const step = workflow.jobs[job]?.steps.find((candidate) => candidate.name === name || candidate.id === name);
  if (!step) throw new Error(`fleet.yml: job ${job} has no step ${name}`);
  return step;
}

/** A `with:` block as the runner hands it to the action: `${{ env.X }}`, `${{ matrix.X }}` and `${{ secrets.X }}` filled in. */
function resolveWith(given: Record<string, string>, contexts: { matrix: Record<string, string>; secrets: Record<string, string> }): Record<string, string> {
  return Object.fromEntries(
    Object.entries(given).map(([name, value]) => {
      const expression = /^\$\{\{ (env|matrix|secrets)\.([A-Za-z_-]+) \}\}$/.exec(value);
      if (!expression) {
        if (value.includes('${{')) throw new Error(`fleet.yml: cannot resolve ${value}`);
        return [name, value];
      }
      const [, context, key = ''] = expression;
      const source = context === 'env' ? workflow.env : context === 'matrix' ? contexts.matrix : contexts.secrets;
      const resolved = source[key];
      if (resolved === undefined) throw new Error(`fleet.yml: ${value} is not set`);
      return [name, resolved];
    }),
  );
}

/** A step's script under bash, in `cwd`, with `orchestrate` on the PATH and a HOME of its own (the step sets git's global identity). */
async function runStep(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const bin = path.join(cwd, '..', 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, 'orchestrate'), `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n`, { mode: 0o755 });
  const home = path.join(cwd, '..', 'home');
  fs.mkdirSync(home, { recursive: true });
  const { GITHUB_ACTIONS: _a, GITHUB_REPOSITORY: _r, ...inherited } = process.env;
  const child = spawn('bash', ['-e', '-c', script], {
    cwd,
    env: { ...inherited, ...workflow.env, HOME: home, PATH: `${bin}:${process.env.PATH ?? ''}`, NO_COLOR: '1', CI: 'true', GITHUB_API_URL: stand.apiUrl, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

describe('examples/github-actions/fleet.yml', () => {
  it('passes GitHub’s schema, with a matrix job fed by the plan job’s outputs', () => {
    expect(validateWorkflow(text).errors).toEqual([]);
    expect(workflow.jobs.repository?.strategy).toMatchObject({ matrix: '${{ fromJSON(needs.plan.outputs.matrix) }}', 'max-parallel': '${{ fromJSON(needs.plan.outputs.max-parallel) }}' });
    expect(workflow.jobs.repository?.steps.some((step) => step.uses?.startsWith('actions/upload-artifact@'))).toBe(true);
    expect(workflow.jobs.summary?.steps.some((step) => step.uses?.startsWith('actions/download-artifact@'))).toBe(true);
    // Each repository's job is the action in fleet mode, on this job's repositories.
    expect(stepOf('repository', 'Run the plan in the repository')).toMatchObject({ uses: 'acme/orchestrate@v0', with: { fleet: '${{ env.FLEET }}', only: '${{ matrix.repositories }}', token: '${{ secrets.FLEET_TOKEN }}' } });
  });

  it('plans, runs one repository per job and sums the results up, run step by run step, against the stand-in', async () => {
    const fleet = makeFleet(stand.github, 3, { pacing: { concurrency: 2, max_open_prs: 2 } });
    // The workflow's git identity stands: the fleet file names no author.
    const config = parse(fs.readFileSync(fleet.fleetFile, 'utf8')) as Record<string, unknown>;
    delete config.author;
    writeFleet(fleet.fleetFile, config);
    const checkout = (job: string) => {
      const dir = path.join(fleet.dir, '..', 'runners', job, 'workspace');
      fs.cpSync(fleet.dir, dir, { recursive: true });
      return dir;
    };
    const token = { GH_TOKEN: 'fleet-secret-token' };

    const planDir = checkout('plan');
    const outputFile = path.join(planDir, '..', 'output');
    fs.writeFileSync(outputFile, '');
    const planned = await runStep(runOf('plan', 'matrix'), planDir, { ...token, GITHUB_OUTPUT: outputFile });
    expect(planned.code, planned.stderr).toBe(0);
    const outputs = Object.fromEntries(fs.readFileSync(outputFile, 'utf8').trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
    expect(outputs.count).toBe('2');
    expect(outputs['max-parallel']).toBe('2');
    const matrix = JSON.parse(outputs.matrix ?? '') as { include: Array<{ repositories: string }> };

    const summaryDir = checkout('summary');
    for (const [index, entry] of matrix.include.entries()) {
      const jobDir = checkout(`repository-${index}`);
      const inputs = resolveWith(stepOf('repository', 'Run the plan in the repository').with ?? {}, { matrix: { ...entry }, secrets: { FLEET_TOKEN: 'fleet-secret-token' } });
      const ran = await runActionStep(jobDir, inputs, { GITHUB_API_URL: stand.apiUrl, HOME: path.join(jobDir, '..', 'home') });
      expect(ran.code, ran.stderr).toBe(0);
      expect(ran.outputs.status).toBe('done');
      // The job's own summary: the fleet's status, its repository's pull request open.
      expect(ran.summary).toMatch(new RegExp(`\\| \`${entry.repositories}\` \\| done \\|.*open`));
      // upload-artifact, then download-artifact with merge-multiple: the records side by side.
      const records = path.join(jobDir, 'fleet-state', 'repos');
      fs.mkdirSync(path.join(summaryDir, 'fleet-state', 'repos'), { recursive: true });
      for (const name of fs.readdirSync(records)) fs.copyFileSync(path.join(records, name), path.join(summaryDir, 'fleet-state', 'repos', name));
    }
    expect(stand.github.pulls.map((pull) => pull.repo).sort()).toEqual(['octo-org/svc-01', 'octo-org/svc-02']);
    expect(stand.github.pulls.every((pull) => pull.state === 'open')).toBe(true);
    // The fleet file names no author: the action's `author` (the bot) made the commits.
    expect(git(fleet.bare.get('octo-org/svc-01')!, 'log', '-1', '--format=%an', 'orchestrate/phase-1')).toBe('github-actions[bot]');

    const summaryFile = path.join(summaryDir, '..', 'summary.md');
    fs.writeFileSync(summaryFile, '');
    const summed = await runStep(runOf('summary', 'Fleet status'), summaryDir, { ...token, GITHUB_STEP_SUMMARY: summaryFile });
    expect(summed.code, summed.stderr).toBe(0);
    const summary = fs.readFileSync(summaryFile, 'utf8');
    expect(summary).toContain('3 repositories: 0 merged, 2 open, 0 failed, 1 not started');
    expect(summary).toContain('```mermaid');
    expect(summed.stdout).toMatch(/octo-org\/svc-03 +pending/);

    // The next scheduled run plans only what is left: svc-03, now that the cap is reached, waits.
    fs.writeFileSync(outputFile, '');
    const again = await runStep(runOf('plan', 'matrix'), checkout('plan-2'), { ...token, GITHUB_OUTPUT: outputFile });
    expect(again.code, again.stderr).toBe(0);
    expect(fs.readFileSync(outputFile, 'utf8')).toContain('count=0');
  }, 300_000);
});
