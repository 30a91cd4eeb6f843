import { describe, expect, it } from 'vitest';
import { Workspace } from '../../src/workspace/workspace.js';
import { tempTree } from './helpers.js';

describe('WorkspaceView.list', () => {
  it('lists the files under a folder as a dry run would leave them: pending writes in, pending removals out', async () => {
    const root = await tempTree({ 'test/fixtures/a.ts': 'a', 'test/fixtures/deep/b.ts': 'b', 'test/fixtures/node_modules/x.js': 'x', 'test/fixtures/gone.ts': 'g' });
    const ws = await Workspace.open(root, { dryRun: true });
    const first = ws.view();
    await first.write('test/fixtures/users.ts', 'export const u = 1;\n');
    await first.remove('test/fixtures/gone.ts');
    await first.commit();
    const second = ws.view();
    await second.write('test/fixtures/staged.ts', 's');
    expect(await second.list('test/fixtures')).toEqual(['test/fixtures/a.ts', 'test/fixtures/deep/b.ts', 'test/fixtures/staged.ts', 'test/fixtures/users.ts']);
    expect(await second.list('no/such/dir')).toEqual([]);
    await expect(second.list('../outside')).rejects.toThrow(/outside the target root/);
  });
});
