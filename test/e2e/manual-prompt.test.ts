/**
 * A manual step on a real terminal: the CLI runs inside a pseudo-terminal
 * (util-linux `script`), shows the instructions and checklist, waits for the
 * answer, and holds progress lines back while the question is open.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRepo, runCli } from '../helpers/plans.js';

const cli = path.resolve('bin/orchestrate.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-prompt-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const plan = `version: 1
phases:
  - id: 1
    name: Review
    groups:
      - id: a
        execution: parallel
        tasks:
          - { id: "1.1", type: manual, instructions: "Protect the {{branch}} branch.", checklist: ["Require reviews"], variables: { branch: main } }
          - { id: "1.2", type: command, run: ["sh", "-c", "sleep 0.3; echo made > made.txt"] }
`;

/** Run the CLI in a pty; type `answer` (Enter after it unless it is Ctrl-C) `afterMs` after the question shows; resolve with the screen text and exit code. */
function inTerminal(args: string[], answer: string, afterMs = 800): Promise<{ screen: string; code: number | null }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of ['CI', 'CONTINUOUS_INTEGRATION', 'BUILD_NUMBER', 'RUN_ID', 'GITHUB_ACTIONS']) delete env[name];
  const command = ['node', cli, ...args].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let screen = '';
  let answered = false;
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString();
    if (!answered && screen.includes('Is it done?')) {
      answered = true;
      // Progress of the parallel task finishes while the question is open.
      setTimeout(() => child.stdin.write(answer === '\x03' ? answer : `${answer}\r`), afterMs);
    }
  });
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ screen: screen.replace(/\r/g, ''), code });
    }),
  );
}

describe('manual step on a terminal', () => {
  it('asks with the rendered instructions and checklist, keeps progress out of the question, and records the answer', async () => {
    fs.writeFileSync(path.join(dir, 'phases.yaml'), plan);
    const { screen, code } = await inTerminal(['run', '--all'], 'd');
    expect(code).toBe(0);
    expect(screen).toContain('Manual step 1.1');
    expect(screen).toContain('Protect the main branch.');
    expect(screen).toContain('[ ] Require reviews');
    const question = screen.split('\n').find((line) => line.includes('Is it done?'))!;
    expect(question).not.toMatch(/1\.2/);
    // The parallel task's finish is shown after the answer, not lost.
    expect(screen.indexOf('1.2    changed')).toBeGreaterThan(screen.indexOf('Is it done?'));
    expect(screen).toMatch(/1\.1\s+changed\s+done by a person/);
    expect(fs.readFileSync(path.join(dir, 'made.txt'), 'utf8')).toBe('made\n');
  });

  it('stops the run with exit 130 when the person aborts', async () => {
    fs.rmSync(path.join(dir, '.orchestrate'), { recursive: true, force: true });
    const { screen, code } = await inTerminal(['run', '--all'], 'a');
    expect(code).toBe(130);
    expect(screen).toContain('Run interrupted.');
  });

  it('asks once and waits for the person however long it takes: no timeout, no retry', async () => {
    fs.rmSync(path.join(dir, '.orchestrate'), { recursive: true, force: true });
    fs.writeFileSync(path.join(dir, 'slow-person.yaml'), plan.replace('type: manual,', 'type: manual, timeout: 1s, retries: 2,'));
    const { screen, code } = await inTerminal(['run', '--all', '--config', 'slow-person.yaml'], 'd', 2500);
    expect(screen).not.toContain('attempt 2/3');
    expect(screen).not.toContain('timed out');
    expect(screen).toMatch(/1\.1\s+changed\s+done by a person/);
    expect(code).toBe(0);
  });

  it('leaves the question on Ctrl-C: the run stops, and the process ends with exit 130', async () => {
    fs.rmSync(path.join(dir, '.orchestrate'), { recursive: true, force: true });
    const { screen, code } = await inTerminal(['run', '--all'], '\x03');
    expect(screen).toContain('SIGINT: stopping');
    expect(screen).toContain('Run interrupted.');
    expect(code).toBe(130);
  });

  it('shows no retries or timeout for a manual step in `plan`', async () => {
    const repo = makeRepo({
      defaults: { retries: 2, timeout: '2s' },
      phases: [{ id: 1, name: 'Review', groups: [{ id: 'a', tasks: [{ id: '1.1', type: 'manual', instructions: 'Protect main.' }, { id: '1.2', type: 'command', run: ['true'] }] }] }],
    });
    const tree = await runCli(repo, ['plan']);
    expect(tree.code, tree.stderr).toBe(0);
    const lines = tree.stdout.split('\n');
    expect(lines.find((line) => line.includes('1.1'))).not.toMatch(/retries|timeout/);
    expect(lines.find((line) => line.includes('1.2'))).toMatch(/retries 2, timeout 2(s|\.0s)/);
    const json = JSON.parse((await runCli(repo, ['plan', '--format', 'json'])).stdout) as { phases: Array<{ groups: Array<{ tasks: Array<{ settings: Record<string, unknown> }> }> }> };
    expect(json.phases[0]!.groups[0]!.tasks[0]!.settings).toMatchObject({ retries: 0, max_attempts: 1, timeout_ms: null });
  });
});
