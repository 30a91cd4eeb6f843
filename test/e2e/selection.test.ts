/**
 * Selecting a phase whose dependencies are not done: refused with the phase
 * to run first, or run together with them under --with-deps.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, runCli, shTask, statusJson, taskStatuses } from '../helpers/plans.js';

const plan = {
  phases: [
    { id: '1', name: 'foundation', groups: [{ id: 'a', tasks: [shTask('1.1', 'echo 1.1 >> order.txt')] }] },
    { id: '2', name: 'build on it', groups: [{ id: 'a', tasks: [shTask('2.1', 'echo 2.1 >> order.txt')] }] },
  ],
};

describe('run --phase with dependencies', () => {
  it('refuses a phase whose dependency is not done (exit 2, naming it), and runs both with --with-deps', async () => {
    const repo = makeRepo(plan);
    const refused = await runCli(repo, ['run', '--phase', '2']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/phase 2 depends on phase 1, which is not done yet/);
    expect(refused.stderr).toMatch(/orchestrate run --phase 1/);
    expect(refused.stderr).toMatch(/--with-deps/);
    expect(fs.existsSync(path.join(repo.dir, 'order.txt'))).toBe(false);
    expect(fs.existsSync(path.join(repo.dir, '.orchestrate/state.json'))).toBe(false);

    const both = await runCli(repo, ['run', '--phase', '2', '--with-deps']);
    expect(both.code, both.stderr).toBe(0);
    expect(fs.readFileSync(path.join(repo.dir, 'order.txt'), 'utf8')).toBe('1.1\n2.1\n');
    expect(taskStatuses(await statusJson(repo))).toEqual({ '1.1': 'done', '2.1': 'done' });

    // Once phase 1 is done, phase 2 alone is accepted.
    const alone = await runCli(repo, ['run', '--phase', '2', '--force']);
    expect(alone.code, alone.stderr).toBe(0);
    expect(fs.readFileSync(path.join(repo.dir, 'order.txt'), 'utf8')).toBe('1.1\n2.1\n2.1\n');
  });

  it('names an unknown phase', async () => {
    const repo = makeRepo(plan);
    const result = await runCli(repo, ['run', '--phase', '7']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no phase "7"/);
    expect(result.stderr).toMatch(/phases are: 1, 2/);
  });
});
