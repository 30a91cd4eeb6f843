/**
 * A dry run writes nothing: not the target's files, not the state store, not
 * the lock. It says what each task would do and exits 0.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashTree, jsonEvents, makeRepo, runCli, shTask } from '../helpers/plans.js';

describe('run --dry-run', () => {
  it('leaves every file of the target as it was and creates no .orchestrate', async () => {
    const repo = makeRepo(
      {
        phases: [
          {
            id: '1',
            name: 'edits',
            groups: [
              { id: 'a', execution: 'parallel', tasks: [shTask('1.1', 'echo more >> src/a.ts'), shTask('1.2', 'rm package.json')] },
              { id: 'b', tasks: [shTask('1.3', 'touch created.txt', { retries: 2 }), { id: '1.4', type: 'manual', instructions: 'Protect main.' }] },
            ],
            checkpoints: [{ name: 'tests', run: ['sh', '-c', 'touch checkpoint-ran'] }],
          },
          { id: '2', name: 'more', groups: [{ id: 'a', tasks: [{ id: '2.1', type: 'command', run: 'mkdir generated' }] }] },
        ],
      },
      { 'src/a.ts': 'export const a = 1;\n', 'package.json': '{ "name": "target" }\n', 'README.md': '# target\n' },
    );
    fs.symlinkSync('src/a.ts', path.join(repo.dir, 'link.ts'));
    const before = hashTree(repo.dir);
    expect(before['.orchestrate/']).toBeUndefined();

    const result = await runCli(repo, ['run', '--all', '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/1\.1 +skipped +would run: sh -c 'echo more >> src\/a\.ts'/);
    expect(result.stdout).toMatch(/2\.1 +skipped +would run: mkdir generated/);
    expect(result.stdout).toMatch(/1\.4 +skipped +would ask a person: Protect main\./);
    expect(result.stdout).toMatch(/Dry run complete: nothing was written\./);

    expect(hashTree(repo.dir)).toEqual(before);
    expect(fs.existsSync(path.join(repo.dir, '.orchestrate'))).toBe(false);
  });

  it('reports the same with the JSON reporter, and a real run afterwards starts from nothing', async () => {
    const repo = makeRepo({ phases: [{ id: '1', name: 'one', groups: [{ id: 'a', tasks: [shTask('1.1', 'echo ran >> ran.txt')] }] }] });
    const before = hashTree(repo.dir);
    const dry = await runCli(repo, ['run', '--all', '--dry-run', '--reporter', 'json']);
    expect(dry.code).toBe(0);
    const events = jsonEvents(dry.stdout);
    expect(events[0]).toMatchObject({ type: 'run:start', dryRun: true });
    expect(events.find((e) => e.type === 'task:finish')).toMatchObject({ taskId: '1.1', status: 'skipped', summary: expect.stringMatching(/^would run: /) });
    expect(hashTree(repo.dir)).toEqual(before);

    const real = await runCli(repo, ['run', '--all']);
    expect(real.code).toBe(0);
    expect(real.stdout).not.toMatch(/done earlier/);
    expect(fs.readFileSync(path.join(repo.dir, 'ran.txt'), 'utf8')).toBe('ran\n');
  });
});
