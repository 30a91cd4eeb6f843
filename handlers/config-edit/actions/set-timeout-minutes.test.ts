import { describe, expect, it } from 'vitest';
import { action } from './set-timeout-minutes.js';
import { CI, changeOnce, changedLines, run } from './workflow-fixtures.js';

describe('set_timeout_minutes', () => {
  it('puts timeout-minutes before the steps of every job, lines only', async () => {
    const { text } = await changeOnce(action, CI, { minutes: 15 });
    expect((await changedLines(CI, text)).added).toEqual(['    timeout-minutes: 15', '    timeout-minutes: 15', '    timeout-minutes: 15']);
    expect(text).toContain("    continue-on-error: ${{ github.event_name == 'pull_request' }}\n    timeout-minutes: 15\n    steps:\n");
  });

  it('keeps a timeout a job has unless replace is set, and stays above the comment that introduces the steps', async () => {
    const text = 'on: push\njobs:\n  a:\n    runs-on: x\n    timeout-minutes: 60\n    steps:\n      - run: a\n  b:\n    runs-on: x\n    # the build\n    steps:\n      - run: b\n';
    const kept = await changeOnce(action, text, { minutes: 10 });
    expect(kept.text).toContain('  b:\n    runs-on: x\n    timeout-minutes: 10\n    # the build\n    steps:\n');
    expect(kept.notes).toEqual(['a keeps its timeout-minutes of 60']);
    expect((await changeOnce(action, text, { minutes: 10, replace: true })).text).toContain('    timeout-minutes: 10\n    steps:\n      - run: a\n');
  });

  it('gives no timeout to a job calling a reusable workflow, and does not apply when every job does', async () => {
    const text = 'on: push\njobs:\n  call:\n    uses: org/repo/.github/workflows/ci.yml@v1\n';
    expect(await run(action, text, { minutes: 10 })).toMatchObject({ kind: 'not_applicable' });
  });
});
