import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { action } from './set-permissions.js';
import { CI, changeOnce, changedLines, run } from './workflow-fixtures.js';

describe('set_permissions', () => {
  it('gives the workflow contents: read after on:, lines only', async () => {
    const { text } = await changeOnce(action, CI, {});
    expect(await changedLines(CI, text)).toEqual({ added: ['permissions:', '  contents: read'], removed: [] });
    expect(text).toContain('on: [push, pull_request]\npermissions:\n  contents: read\n');
  });

  it('gives named jobs their own before their steps and notes jobs whose actions may write', async () => {
    const text = 'on: push\njobs:\n  docs:\n    runs-on: x\n    steps:\n      - uses: peaceiris/actions-gh-pages@v4\n  release:\n    runs-on: x\n    steps:\n      - run: npm publish\n';
    const { text: out, notes } = await changeOnce(action, text, { jobs: { release: { contents: 'write', 'id-token': 'write' } } });
    expect(out).toContain('  release:\n    runs-on: x\n    permissions:\n      contents: write\n      id-token: write\n    steps:\n');
    expect(notes).toEqual(['docs uses peaceiris/actions-gh-pages@v4, which may need write permissions: give them in params.jobs.docs']);
  });

  it('never widens permissions already written', async () => {
    expect(await run(action, 'on: push\npermissions: read-all\njobs:\n  a:\n    runs-on: x\n    steps: [{run: a}]\n', {})).toMatchObject({ kind: 'unchanged' });
  });

  it('names a job the file lacks', async () => {
    const error = await run(action, CI, { jobs: { deploy: { contents: 'write' } } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain('there is no job "deploy"');
  });
});
