import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { action } from './implement-production-deploy.js';
import { DEPLOY, changeOnce, run } from './workflow-fixtures.js';

const params = {
  environment: 'production',
  url: 'https://demo.example.com',
  registry: 'ghcr.io/demo-org/demo-monorepo',
  needs: ['deploy-staging'],
  trigger: 'release',
};

describe('implement_production_deploy', () => {
  it('builds and pushes after staging, in the production environment, on releases', async () => {
    const { text } = await changeOnce(action, DEPLOY, params, '.github/workflows/deploy.yml');
    const workflow = parse(text);
    expect(workflow.on.release).toEqual({ types: ['published'] });
    const job = workflow.jobs['deploy-production'];
    // `needs: deploy-staging` already says it; the line stays as written.
    expect(job.needs).toBe('deploy-staging');
    expect(job.environment).toEqual({ name: 'production', url: 'https://demo.example.com' });
    expect(job.if).toBe("github.event_name == 'release'");
    expect(job.steps.find((s: { uses?: string }) => s.uses?.startsWith('docker/build-push-action')).with.tags).toContain(':production');
    // The multi-line echo placeholder is gone; the staging job is untouched.
    expect(text).not.toContain('deploying to production');
    expect(text).toContain('        run: echo "deploying to staging"\n');
  });

  it('refuses a need the workflow lacks', async () => {
    const error = await run(action, DEPLOY, { ...params, needs: ['build'] }, 'deploy.yml').catch((e: unknown) => e);
    expect((error as UserError).message).toContain('there is no job "build" (params.needs)');
  });
});
