import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { action } from './add-path-filters.js';
import { CI, changeOnce, changedLines, run } from './workflow-fixtures.js';

const groups = {
  node: ['src/**', 'package.json'],
  python: ['python/**'],
  workflows: ['.github/workflows/**'],
};

describe('add_path_filters', () => {
  it('gates each job on its group through a changes job', async () => {
    const { text, notes } = await changeOnce(action, CI, { filters: groups });
    const workflow = parse(text);
    expect(workflow.jobs.changes.steps[1]).toEqual({
      id: 'filter',
      uses: 'dorny/paths-filter@v3',
      with: { filters: "node:\n  - 'src/**'\n  - 'package.json'\npython:\n  - 'python/**'\nworkflows:\n  - '.github/workflows/**'\n" },
    });
    expect(workflow.jobs.changes.outputs.python).toBe('${{ steps.filter.outputs.python }}');
    expect(workflow.jobs.lint).toMatchObject({ needs: ['changes'], if: "needs.changes.outputs.node == 'true' || needs.changes.outputs.workflows == 'true'" });
    expect(workflow.jobs.python).toMatchObject({ needs: ['changes'], if: "needs.changes.outputs.python == 'true' || needs.changes.outputs.workflows == 'true'" });
    expect(notes).toEqual([]);
    // Only additions: nothing already in the file changes.
    expect((await changedLines(CI, text)).removed).toEqual([]);
  });

  it('sets paths on push and pull_request for a plain list, turning `on` into a map', async () => {
    const { text } = await changeOnce(action, CI, { filters: ['src/**'] });
    expect(text).toContain('on:\n  push:\n    paths:\n      - src/**\n  pull_request:\n    paths:\n      - src/**\n\njobs:');
  });

  it('does not apply to a workflow run only on a schedule', async () => {
    const cron = "on:\n  schedule:\n    - cron: '0 0 * * *'\njobs:\n  a:\n    runs-on: x\n    steps: [{run: 'true'}]\n";
    expect(await run(action, cron, { filters: ['src/**'] })).toMatchObject({ kind: 'not_applicable' });
  });

  it('keeps an existing if and combines it', async () => {
    const guarded = CI.replace('  python:\n    runs-on: ubuntu-latest\n', "  python:\n    if: github.actor != 'bot'\n    runs-on: ubuntu-latest\n");
    const { text } = await changeOnce(action, guarded, { filters: { python: ['python/**'] } });
    expect(parse(text).jobs.python.if).toBe("(github.actor != 'bot') && (needs.changes.outputs.python == 'true')");
  });
});
