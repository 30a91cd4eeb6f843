import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { action } from './implement-staging-deploy.js';
import { DEPLOY, changeOnce, changedLines, run } from './workflow-fixtures.js';

const params = { environment: 'staging', url: 'https://staging.demo.example.com', registry: 'ghcr.io/demo-org/demo-monorepo', branch: 'main' };

describe('implement_staging_deploy', () => {
  it('replaces the echo placeholder with build, push and the environment', async () => {
    const { text, notes } = await changeOnce(action, DEPLOY, params, '.github/workflows/deploy.yml');
    const job = parse(text).jobs['deploy-staging'];
    expect(job.if).toBe("github.ref == 'refs/heads/main'");
    expect(job.environment).toEqual({ name: 'staging', url: 'https://staging.demo.example.com' });
    expect(job.permissions).toEqual({ contents: 'read', packages: 'write' });
    expect(job.steps.map((s: { uses?: string }) => s.uses)).toEqual([
      'actions/checkout@v4',
      'docker/login-action@v3',
      'docker/setup-buildx-action@v3',
      'docker/build-push-action@v6',
    ]);
    expect(job.steps[3].with.tags).toBe('ghcr.io/demo-org/demo-monorepo:${{ github.sha }}\nghcr.io/demo-org/demo-monorepo:staging\n');
    const { removed } = await changedLines(DEPLOY, text);
    expect(removed).toEqual(['      - name: Deploy', '        run: echo "deploying to staging"']);
    // The production job is untouched.
    expect(text.slice(text.indexOf('  deploy-production:'))).toBe(DEPLOY.slice(DEPLOY.indexOf('  deploy-production:')));
    expect(notes[0]).toContain('params.deploy_command');
  });

  it('runs the deploy command when given', async () => {
    const { text, notes } = await changeOnce(action, DEPLOY, { ...params, deploy_command: './scripts/deploy.sh staging' }, 'deploy.yml');
    expect(parse(text).jobs['deploy-staging'].steps[4]).toEqual({
      name: 'Deploy to staging',
      run: './scripts/deploy.sh staging',
      env: { IMAGE: 'ghcr.io/demo-org/demo-monorepo:${{ github.sha }}' },
    });
    expect(notes).toEqual([]);
  });

  it('says which value is missing', async () => {
    const error = await run(action, DEPLOY, { environment: 'staging', url: 'https://x.example', branch: 'main' }, 'deploy.yml').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain('params.registry: give the image registry and name');
  });
});
