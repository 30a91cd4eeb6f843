/**
 * The Action chooses trust from the event that started the workflow: the run
 * step of action.yml, executed with bash as the runner would, against a fake
 * GITHUB_EVENT_PATH payload. A push and a pull request from a branch of the
 * same repository are trusted; a pull request from a fork and
 * pull_request_target are untrusted, so the plan's command is refused and
 * never runs. Needs `npm run build` (the step runs bin/orchestrate.js).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliPath, repoRoot } from '../helpers/cli.js';
import { shTask } from '../helpers/plans.js';
import { makeGitRepo } from './git-fixtures.js';

interface Action {
  inputs: Record<string, { default?: string }>;
  runs: { steps: Array<{ id?: string; run?: string; env?: Record<string, string> }> };
}
const action = parse(fs.readFileSync(path.join(repoRoot, 'action.yml'), 'utf8')) as Action;

const plan = { phases: [{ id: 1, name: 'One', groups: [{ id: 'a', tasks: [shTask('1.1', 'touch ran.txt')] }] }] };

/** A pull_request payload whose head is `head` and base `octo-org/service`. */
function pullRequest(head: string, fork = head !== 'octo-org/service'): Record<string, unknown> {
  return {
    pull_request: { head: { ref: 'change', repo: { full_name: head, fork } }, base: { ref: 'main', repo: { full_name: 'octo-org/service', fork: false } } },
    repository: { full_name: 'octo-org/service', default_branch: 'main' },
  };
}

/** Run the action's run step for `event` with `payload`; the inputs at their defaults unless given. */
async function runStep(event: string, payload: Record<string, unknown>, inputs: Record<string, string> = {}) {
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` before these tests');
  const repo = makeGitRepo(plan);
  const step = action.runs.steps.find((candidate) => candidate.id === 'run');
  if (!step?.run || !step.env) throw new Error('action.yml has no run step with id "run"');
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(step.env)) {
    const input = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(value)?.[1];
    if (!input) throw new Error(`step env ${name} is not an input: ${value}`);
    env[name] = inputs[input] ?? (action.inputs[input]?.default?.startsWith('${{') ? '' : (action.inputs[input]?.default ?? ''));
  }
  const eventFile = `${repo.dir}-event.json`;
  fs.writeFileSync(eventFile, JSON.stringify(payload));
  const outputFile = `${repo.dir}-output`;
  fs.writeFileSync(outputFile, '');
  const child = spawn('bash', ['-e', '-c', step.run], {
    cwd: repo.dir,
    env: {
      ...process.env,
      ...env,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: event,
      GITHUB_EVENT_PATH: eventFile,
      GITHUB_BASE_REF: event.startsWith('pull_request') ? 'main' : '',
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: `${repo.dir}-summary`,
      GITHUB_REPOSITORY: 'octo-org/service',
      ORCHESTRATE_BIN: cliPath,
      ORCHESTRATE_TRUST: '',
      NO_COLOR: '1',
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  for (const file of [eventFile, outputFile, `${repo.dir}-summary`]) fs.rmSync(file, { force: true });
  return { code, output, ran: fs.existsSync(path.join(repo.dir, 'ran.txt')) };
}

describe('the Action’s trust', () => {
  it('is trusted on a push: the plan’s command runs', async () => {
    const result = await runStep('push', { ref: 'refs/heads/main', repository: { full_name: 'octo-org/service', default_branch: 'main' } });
    expect(result.code, result.output).toBe(0);
    expect(result.ran).toBe(true);
  }, 300_000);

  it('is trusted on a pull request from a branch of the same repository', async () => {
    const result = await runStep('pull_request', pullRequest('octo-org/service'));
    expect(result.code, result.output).toBe(0);
    expect(result.ran).toBe(true);
  }, 300_000);

  it('is untrusted on a pull request from a fork: the command is refused, naming the rule', async () => {
    const result = await runStep('pull_request', pullRequest('mallory/service'));
    expect(result.code).toBe(1);
    expect(result.ran).toBe(false);
    expect(result.output).toContain('refused under untrusted (rule command): task 1.1 runs `sh -c touch ran.txt`');
    expect(result.output).toContain('trust is untrusted from github-event pull_request from the fork mallory/service');
  }, 300_000);

  it('is untrusted on pull_request_target, whatever the payload says', async () => {
    const result = await runStep('pull_request_target', pullRequest('octo-org/service'));
    expect(result.code).toBe(1);
    expect(result.ran).toBe(false);
    expect(result.output).toContain('(rule command)');
    expect(result.output).toContain('pull_request_target runs a pull request with the base repository’s token and secrets');
  }, 300_000);

  it('is untrusted when a pull request event’s payload cannot be read', async () => {
    const result = await runStep('pull_request', {});
    expect(result.code).toBe(1);
    expect(result.ran).toBe(false);
  }, 300_000);

  it('follows the trust input when a workflow sets it', async () => {
    const lowered = await runStep('push', { repository: { full_name: 'octo-org/service' } }, { trust: 'untrusted' });
    expect(lowered.code).toBe(1);
    expect(lowered.ran).toBe(false);
  }, 300_000);
});
