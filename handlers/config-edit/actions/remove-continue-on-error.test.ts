import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { action } from './remove-continue-on-error.js';
import { CI, changeOnce, changedLines, run } from './workflow-fixtures.js';

describe('remove_continue_on_error', () => {
  it('removes the job and step flags of the named jobs, lines only', async () => {
    const { text } = await changeOnce(action, CI, { jobs: ['lint', 'test'] });
    expect(await changedLines(CI, text)).toEqual({
      added: [],
      removed: [
        '    continue-on-error: true # TODO: fix the lint errors',
        "    continue-on-error: ${{ github.event_name == 'pull_request' }}",
        '        continue-on-error: true',
      ],
    });
  });

  it('leaves steps alone with steps: false', async () => {
    const { text } = await changeOnce(action, CI, { jobs: ['test'], steps: false });
    expect(text).toContain('        continue-on-error: true\n');
    expect(text).not.toContain('github.event_name');
  });

  it('names the missing job and the jobs there are', async () => {
    const error = await run(action, CI, { jobs: ['build'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe('.github/workflows/ci.yml: there is no job "build" (params.jobs); the jobs are lint, test, python');
  });

  it('does not apply to YAML that is not a workflow', async () => {
    expect(await run(action, 'version: 2\nupdates: []\n', {}, '.github/dependabot.yml')).toMatchObject({ kind: 'not_applicable' });
  });
});
