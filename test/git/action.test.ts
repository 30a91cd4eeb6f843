/**
 * The GitHub Action and the example workflows: valid by GitHub's schemas
 * (@action-validator/core), and the action's run step, executed with bash as
 * the runner would (inputs as environment variables), turns its inputs into
 * the right `orchestrate run` and leaves the step outputs. Needs
 * `npm run build` (the step runs bin/orchestrate.js).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { validateAction, validateWorkflow } from '@action-validator/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliPath, repoRoot } from '../helpers/cli.js';
import { git, makeGitRepo, NOTE_TEMPLATE, noteTask } from './git-fixtures.js';
import { useGitHubDouble } from './use-github-double.js';

interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Array<{ id?: string; uses?: string; run?: string; env?: Record<string, string> }> };
}

const actionText = fs.readFileSync(path.join(repoRoot, 'action.yml'), 'utf8');
const action = parse(actionText) as Action;
const examplesDir = path.join(repoRoot, 'examples/github-actions');

describe('action.yml and the example workflows', () => {
  it('pass GitHub’s schemas', () => {
    expect(validateAction(actionText).errors).toEqual([]);
    const examples = fs.readdirSync(examplesDir).filter((name) => name.endsWith('.yml'));
    expect(examples.sort()).toEqual(['fleet.yml', 'plan-check.yml', 'rollout.yml', 'sharded-tests.yml']);
    for (const name of examples) expect(validateWorkflow(fs.readFileSync(path.join(examplesDir, name), 'utf8')).errors, name).toEqual([]);
  });

  it('is a composite action on actions/setup-node with the documented inputs and outputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.runs.steps.some((step) => step.uses?.startsWith('actions/setup-node@'))).toBe(true);
    for (const input of ['phase', 'config', 'dry-run', 'pr', 'draft', 'token']) expect(Object.keys(action.inputs)).toContain(input);
    expect(Object.keys(action.outputs).sort()).toEqual(['awaiting-tasks', 'changed-files', 'coverage-lines', 'failed-tasks', 'status']);
    for (const [name, output] of Object.entries(action.outputs)) expect(output.value).toBe(`\${{ steps.run.outputs.${name} }}`);
  });

  it('has the manual workflow take a phase, and the pull-request workflow watch the plan', () => {
    const rollout = parse(fs.readFileSync(path.join(examplesDir, 'rollout.yml'), 'utf8')) as { on: { workflow_dispatch: { inputs: Record<string, unknown> } } };
    expect(Object.keys(rollout.on.workflow_dispatch.inputs)).toContain('phase');
    const check = parse(fs.readFileSync(path.join(examplesDir, 'plan-check.yml'), 'utf8')) as { on: { pull_request: { paths: string[] } } };
    expect(check.on.pull_request.paths).toContain('phases.yaml');
  });
});

describe('the action’s run step', () => {
  const stand = useGitHubDouble();

  const plan = {
    templates_dir: 'templates',
    phases: [
      { id: 1, name: 'Foundation', groups: [{ id: 'a', tasks: [noteTask('1.1', 'docs/one.md')] }] },
      { id: 3, name: 'Protection', depends_on: [], groups: [{ id: 'a', tasks: [noteTask('3.1', 'CODEOWNERS.md'), { id: '3.2', name: 'Protect main', type: 'manual', instructions: 'Protect main.' }] }] },
    ],
  };

  /** Run the step's script as the runner does: bash, inputs (their defaults unless given) as environment variables. */
  async function runStep(dir: string, inputs: Record<string, string>) {
    if (!fs.existsSync(path.join(repoRoot, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` before these tests');
    const step = action.runs.steps.find((candidate) => candidate.id === 'run');
    if (!step?.run || !step.env) throw new Error('action.yml has no run step with id "run"');
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(step.env)) {
      const input = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(value)?.[1];
      if (!input) throw new Error(`step env ${name} is not an input: ${value}`);
      env[name] = inputs[input] ?? (action.inputs[input]?.default?.startsWith('${{') ? '' : (action.inputs[input]?.default ?? ''));
    }
    const outputFile = path.join(dir, '..', `${path.basename(dir)}-output`);
    const summaryFile = path.join(dir, '..', `${path.basename(dir)}-summary`);
    fs.writeFileSync(outputFile, '');
    fs.writeFileSync(summaryFile, '');
    const child = spawn('bash', ['-e', '-c', step.run], {
      cwd: dir,
      env: {
        ...process.env,
        ...env,
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        GITHUB_REPOSITORY: 'octo-org/service',
        GITHUB_API_URL: stand.apiUrl,
        ORCHESTRATE_BIN: cliPath,
        NO_COLOR: '1',
      },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const outputs = fs.readFileSync(outputFile, 'utf8');
    fs.rmSync(outputFile);
    fs.rmSync(summaryFile);
    return { code, stderr, outputs };
  }

  it('runs the phase, commits as the bot, opens a labelled draft pull request and writes the outputs', async () => {
    const repo = makeGitRepo(plan, NOTE_TEMPLATE);
    const result = await runStep(repo.dir, { phase: '3', pr: 'true', draft: 'true', labels: 'rollout, ci', reviewers: 'octocat', token: 'action-token' });
    expect(result.code, result.stderr).toBe(3); // the manual step awaits a person
    expect(stand.github.pulls).toHaveLength(1);
    expect(stand.github.pulls[0]).toMatchObject({ head: 'orchestrate/phase-3', base: 'main', draft: true, labels: ['rollout', 'ci'], reviewers: ['octocat'] });
    expect(stand.github.requests.every((request) => request.authorization === 'token action-token')).toBe(true);
    expect(git(repo.dir, 'log', '-1', '--format=%an', 'orchestrate/phase-3')).toBe('github-actions[bot]');
    expect(result.outputs).toMatch(/awaiting-tasks<<.*\n3\.2\n|awaiting-tasks=3\.2/);
  }, 300_000);

  it('previews without committing when dry-run is true', async () => {
    const repo = makeGitRepo(plan, NOTE_TEMPLATE);
    const result = await runStep(repo.dir, { phase: '1', 'dry-run': 'true', pr: 'true' });
    expect(result.code, result.stderr).toBe(0);
    expect(git(repo.dir, 'branch', '--list', 'orchestrate/*')).toBe('');
    expect(fs.existsSync(path.join(repo.dir, 'docs/one.md'))).toBe(false);
    expect(stand.github.requests).toHaveLength(0);
  }, 300_000);
});
