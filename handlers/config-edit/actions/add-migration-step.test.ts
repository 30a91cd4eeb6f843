import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { action } from './add-migration-step.js';
import { DEPLOY, changeOnce, changedLines, run } from './workflow-fixtures.js';

const params = { command: 'npm run db:migrate', jobs: ['deploy-staging', 'deploy-production'], env_secret: 'DATABASE_URL' };

describe('add_migration_step', () => {
  it('inserts the step before each deploy step, with the secret in its env', async () => {
    const { text } = await changeOnce(action, DEPLOY, params, '.github/workflows/deploy.yml');
    const migrate = [
      '      - name: Run database migrations',
      '        run: npm run db:migrate',
      '        env:',
      '          DATABASE_URL: ${{ secrets.DATABASE_URL }}',
    ];
    expect(await changedLines(DEPLOY, text)).toEqual({ added: [...migrate, ...migrate], removed: [] });
    expect(text).toContain(`${migrate.join('\n')}\n      - name: Deploy\n        run: echo "deploying to staging"`);
  });

  it('requires the command and names the missing job', async () => {
    const missing = await run(action, DEPLOY, { jobs: ['deploy-staging'] }, 'deploy.yml').catch((e: unknown) => e);
    expect((missing as UserError).message).toContain('params.command: give the migration command');
    const job = await run(action, DEPLOY, { command: 'x', jobs: ['deploy'] }, 'deploy.yml').catch((e: unknown) => e);
    expect((job as UserError).message).toContain('there is no job "deploy"');
  });
});
