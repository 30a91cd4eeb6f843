import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { action } from './add-approval-gates.js';
import { DEPLOY, changeOnce, changedLines, run } from './workflow-fixtures.js';

describe('add_approval_gates', () => {
  it('puts the deploy job in its environment and says where reviewers are set', async () => {
    const { text, notes } = await changeOnce(action, DEPLOY, { environments: ['production'], required_reviewers: 1 }, 'deploy.yml');
    expect(await changedLines(DEPLOY, text)).toEqual({ added: ['    environment: production'], removed: [] });
    expect(notes).toEqual([
      'Require 1 reviewer for the production environment in Settings > Environments > production > Required reviewers; GitHub reads them there, not from the workflow.',
    ]);
  });

  it('adds the URL to an environment already named', async () => {
    const named = DEPLOY.replace('    needs: deploy-staging\n', '    needs: deploy-staging\n    environment: production\n');
    const { text } = await changeOnce(action, named, { environments: ['production'], urls: { production: 'https://demo.example.com' } }, 'deploy.yml');
    expect(text).toContain('    environment:\n      name: production\n      url: https://demo.example.com\n');
  });

  it('fails clearly when no job deploys to the environment', async () => {
    const error = await run(action, DEPLOY, { environments: ['qa'] }, 'deploy.yml').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain('no job deploys to qa');
  });
});
