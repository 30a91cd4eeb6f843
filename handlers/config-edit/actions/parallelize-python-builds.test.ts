import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { action } from './parallelize-python-builds.js';
import { CI, changeOnce, changedLines, run } from './workflow-fixtures.js';

describe('parallelize_python_builds', () => {
  it('adds the matrix, uses it in setup-python and sets the working directory', async () => {
    const { text } = await changeOnce(action, CI, { job: 'python', python_versions: ['3.10', '3.11', '3.12'], working_directory: 'python' });
    const job = parse(text).jobs.python;
    expect(job.strategy.matrix['python-version']).toEqual(['3.10', '3.11', '3.12']);
    expect(job.defaults).toEqual({ run: { 'working-directory': 'python' } });
    const { removed, added } = await changedLines(CI, text);
    expect(removed).toEqual(['          python-version: "3.12"']);
    expect(added[0]).toBe('          python-version: "${{ matrix.python-version }}"');
    expect(added.slice(1)).toEqual([
      '    strategy:',
      '      matrix:',
      '        python-version:',
      '          - "3.10"',
      '          - "3.11"',
      '          - "3.12"',
      '    defaults:',
      '      run:',
      '        working-directory: python',
    ]);
  });

  it('adds setup-python after checkout when the job has none', async () => {
    const bare = CI.replace('      - uses: actions/setup-python@v5\n        with:\n          python-version: "3.12"\n', '');
    const { text } = await changeOnce(action, bare, { job: 'python', python_versions: ['3.12'] });
    expect(parse(text).jobs.python.steps[1]).toEqual({ uses: 'actions/setup-python@v5', with: { 'python-version': '${{ matrix.python-version }}' } });
  });

  it('names a missing job', async () => {
    await expect(run(action, CI, { job: 'py', python_versions: ['3.12'] })).rejects.toThrow(/no job "py" \(params.job\)/);
  });
});
