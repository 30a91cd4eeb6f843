import { describe, expect, it } from 'vitest';
import { action } from './add-concurrency.js';
import { CI, DEPLOY, changeOnce, changedLines, run } from './workflow-fixtures.js';

describe('add_concurrency', () => {
  it('adds a group per workflow and ref after on:, cancelling stale runs', async () => {
    const { text } = await changeOnce(action, CI, {});
    expect(text.startsWith('name: CI\n\non: [push, pull_request]\nconcurrency:\n  group: ${{ github.workflow }}-${{ github.ref }}\n  cancel-in-progress: true\n\njobs:\n')).toBe(true);
    expect((await changedLines(CI, text)).removed).toEqual([]);
  });

  it('goes after a block on: and takes an expression for cancel-in-progress', async () => {
    const { text } = await changeOnce(action, DEPLOY, { cancel_in_progress: "${{ github.event_name == 'pull_request' }}" });
    expect(text).toContain("    branches: [main]\nconcurrency:\n  group: ${{ github.workflow }}-${{ github.ref }}\n  cancel-in-progress: ${{ github.event_name == 'pull_request' }}\n");
  });

  it('keeps a concurrency the workflow has, and leaves a workflow only others call alone', async () => {
    expect(await run(action, 'on: push\nconcurrency: ci\njobs:\n  a:\n    runs-on: x\n    steps: [{run: a}]\n', {})).toMatchObject({ kind: 'unchanged' });
    expect(await run(action, 'on:\n  workflow_call:\njobs:\n  a:\n    runs-on: x\n    steps: [{run: a}]\n', {})).toMatchObject({ kind: 'not_applicable' });
  });
});
