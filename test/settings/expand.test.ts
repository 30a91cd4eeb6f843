/**
 * `${VAR}` and `${VAR:-default}` in a plan's strings, through the real CLI:
 * expanded from the environment before the schema check; GitHub expressions
 * `${{ ... }}` and `$${` (a literal `${`) left alone; an unset variable is a
 * located error (file:line:col and YAML path), exit 2.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, runCli, type PlanInput } from '../helpers/plans.js';

const env = { GITHUB_ACTIONS: '', ORCHESTRATE_TRUST: '', XDG_CONFIG_HOME: path.join(import.meta.dirname, 'no-such-dir') };

/** A command task printing each of `words` on its own line into out.txt. */
function printing(words: string[], defaults: Record<string, unknown> = {}): PlanInput {
  return {
    defaults,
    phases: [{ id: 1, name: 'One', groups: [{ id: 'a', tasks: [{ id: '1.1', type: 'command', run: ['sh', '-c', 'printf "%s\\n" "$@" > out.txt', 'sh', ...words] }] }] }],
  };
}

describe('${VAR} in the plan', () => {
  it('expands set variables and defaults, and leaves ${{ }} and $${ as written', async () => {
    const repo = makeRepo(printing(['${WHO}', 'at ${PLACE:-home}', '${{ github.sha }}', '$${WHO}', '$HOME-ish', '${WHO%.x}'], { timeout: '${LIMIT:-2m}' }));
    const result = await runCli(repo, ['run', '--all'], { env: { ...env, WHO: 'ada', PLACE: '' } });
    expect(result.code, result.stderr).toBe(0);
    expect(fs.readFileSync(path.join(repo.dir, 'out.txt'), 'utf8').split('\n')).toEqual(['ada', 'at home', '${{ github.sha }}', '${WHO}', '$HOME-ish', '${WHO%.x}', '']);
  }, 300_000);

  it('checks an expanded value against the schema like a written one', async () => {
    const repo = makeRepo(printing(['x'], { timeout: '${LIMIT}' }));
    const result = await runCli(repo, ['validate'], { env: { ...env, LIMIT: 'soon' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/phases\.yaml:\d+:\d+ defaults\.timeout\n {2}error: not a duration/);
  }, 300_000);

  it('an unset variable is located at its string, with the YAML path, exit 2', async () => {
    const repo = makeRepo(printing(['fine', 'hello ${NOBODY_SET_THIS}']));
    const text = fs.readFileSync(repo.planFile, 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('NOBODY_SET_THIS')) + 1;
    const column = text.split('\n')[line - 1]!.indexOf('"hello') + 1;
    for (const command of ['validate', 'plan', 'run']) {
      const result = await runCli(repo, command === 'run' ? ['run', '--all'] : [command], { env });
      expect(result.code, command).toBe(2);
      expect(result.stderr).toContain(`phases.yaml:${line}:${column} phases[0].groups[0].tasks[0].run[5]\n  error: environment variable NOBODY_SET_THIS is not set (used as \${NOBODY_SET_THIS})`);
      expect(result.stderr).toContain('hint: set NOBODY_SET_THIS, give a default with ${NOBODY_SET_THIS:-value}');
    }
    expect(fs.existsSync(path.join(repo.dir, 'out.txt'))).toBe(false);
  }, 300_000);
});
