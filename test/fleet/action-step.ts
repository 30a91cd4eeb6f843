/**
 * The action's run step (action.yml, step id `run`) executed with bash as a
 * runner executes it: each input as the environment variable the step maps
 * it to (its default unless given), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as
 * files, and the built CLI as ORCHESTRATE_BIN (what the install step sets).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { cliPath, repoRoot } from '../helpers/cli.js';

interface Action {
  inputs: Record<string, { default?: string }>;
  runs: { steps: Array<{ id?: string; run?: string; env?: Record<string, string> }> };
}

export const actionText = fs.readFileSync(path.join(repoRoot, 'action.yml'), 'utf8');
const action = parse(actionText) as Action;

export interface StepResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** What the step wrote to GITHUB_OUTPUT, by name. */
  outputs: Record<string, string>;
  /** What the step wrote to GITHUB_STEP_SUMMARY. */
  summary: string;
}

/** Run the step in `cwd` with these inputs and this environment (GITHUB_API_URL and the like). */
export async function runActionStep(cwd: string, inputs: Record<string, string>, env: Record<string, string>): Promise<StepResult> {
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const step = action.runs.steps.find((candidate) => candidate.id === 'run');
  if (!step?.run || !step.env) throw new Error('action.yml has no run step with id "run"');
  const unknown = Object.keys(inputs).filter((name) => !(name in action.inputs));
  if (unknown.length > 0) throw new Error(`action.yml has no input ${unknown.join(', ')}`);
  const stepEnv: Record<string, string> = {};
  for (const [name, value] of Object.entries(step.env)) {
    const input = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(value)?.[1];
    if (!input) throw new Error(`step env ${name} is not an input: ${value}`);
    const fallback = action.inputs[input]?.default ?? '';
    stepEnv[name] = inputs[input] ?? (fallback.startsWith('${{') ? '' : fallback);
  }
  const files = fs.mkdtempSync(path.join(path.dirname(cwd), 'step-'));
  const outputFile = path.join(files, 'output');
  const summaryFile = path.join(files, 'summary');
  fs.writeFileSync(outputFile, '');
  fs.writeFileSync(summaryFile, '');
  const { FORCE_COLOR: _forced, GITHUB_REPOSITORY: _repository, GH_TOKEN: _gh, GITHUB_TOKEN: _token, ...inherited } = process.env;
  const child = spawn('bash', ['-e', '-c', step.run], {
    cwd,
    env: { ...inherited, ...stepEnv, CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, GITHUB_REPOSITORY: 'octo-org/platform', ORCHESTRATE_BIN: cliPath, NO_COLOR: '1', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const outputs = Object.fromEntries(
    fs
      .readFileSync(outputFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const summary = fs.readFileSync(summaryFile, 'utf8');
  fs.rmSync(files, { recursive: true, force: true });
  return { code, stdout, stderr, outputs, summary };
}
