import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { jsonDelete, jsonSet, yamlAppend, yamlDelete, yamlMerge, yamlSet } from './primitives.js';
import { DEPLOY, changeOnce, changedLines, run } from './workflow-fixtures.js';

const FILE = '.github/workflows/deploy.yml';

describe('YAML primitives', () => {
  it('yaml_set adds a top-level map once', async () => {
    const { text } = await changeOnce(yamlSet, DEPLOY, { path: 'concurrency', value: { group: 'deploy', 'cancel-in-progress': false } }, FILE);
    expect(await changedLines(DEPLOY, text)).toEqual({ added: ['concurrency:', '  group: deploy', '  cancel-in-progress: false'], removed: [] });
  });

  it('yaml_merge creates a missing map and later adds only new keys', async () => {
    const value = { DEPLOY_STRATEGY: 'blue-green', HEALTH_CHECK_PATH: '/health', ROLLBACK_ON_FAILURE: 'true' };
    const { text } = await changeOnce(yamlMerge, DEPLOY, { path: 'jobs.deploy-production.env', value }, FILE);
    expect(text).toContain('    env:\n      DEPLOY_STRATEGY: blue-green\n      HEALTH_CHECK_PATH: /health\n      ROLLBACK_ON_FAILURE: "true"\n');
    const more = await changeOnce(yamlMerge, text, { path: 'jobs.deploy-production.env', value: { ...value, REGION: 'eu' } }, FILE);
    expect(await changedLines(text, more.text)).toEqual({ added: ['      REGION: eu'], removed: [] });
  });

  it('yaml_append and yaml_delete work through item selectors', async () => {
    const appended = await changeOnce(yamlAppend, DEPLOY, { path: 'jobs.deploy-staging.steps', value: { run: 'make smoke' } }, FILE);
    expect(appended.text).toContain('        run: echo "deploying to staging"\n      - run: make smoke\n');
    const deleted = await changeOnce(yamlDelete, DEPLOY, { path: 'jobs.deploy-staging.steps[name=Deploy]' }, FILE);
    expect(await changedLines(DEPLOY, deleted.text)).toEqual({ added: [], removed: ['      - name: Deploy', '        run: echo "deploying to staging"'] });
  });

  it('rejects a malformed selector as a parameter error', async () => {
    const error = await run(yamlSet, DEPLOY, { path: 'jobs..env', value: 1 }, FILE).catch((e: unknown) => e);
    expect((error as UserError).message).toBe(
      `yaml_set on ${FILE}: params.path: selector "jobs..env": unexpected "." (quote keys with other characters: ["a key"]) at column 6`,
    );
  });

  it('fails on a selector matching nothing or several, naming file, path and selector', async () => {
    const none = await run(yamlSet, DEPLOY, { path: 'jobs.deploy-staging.steps[name=Build].with.x', value: 1 }, FILE).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(UserError);
    expect((none as UserError).message).toBe(
      `${FILE}: selector "jobs.deploy-staging.steps[name=Build].with.x" matches nothing: jobs.deploy-staging.steps has no item whose name is equal to "Build"`,
    );
    const several = await run(yamlSet, DEPLOY, { path: 'jobs.*.timeout-minutes', value: 10 }, FILE).catch((e: unknown) => e);
    expect((several as UserError).message).toBe(
      `${FILE}: selector "jobs.*.timeout-minutes" matches 2 places where one is expected: jobs.deploy-staging.timeout-minutes, jobs.deploy-production.timeout-minutes`,
    );
    const missing = await run(yamlDelete, DEPLOY, { path: 'jobs.build.steps[0]' }, FILE).catch((e: unknown) => e);
    expect((missing as UserError).message).toBe(`${FILE}: selector "jobs.build.steps[0]" matches nothing: jobs has no key "build"`);
    const all = await changeOnce(yamlSet, DEPLOY, { path: 'jobs.*.timeout-minutes', value: 10, all: true }, FILE);
    expect((await changedLines(DEPLOY, all.text)).added).toEqual(['    timeout-minutes: 10', '    timeout-minutes: 10']);
  });
});

describe('JSON primitives', () => {
  const pkg = '{\n  "name": "shop",\n  "jest": {\n    "coverageThreshold": { "global": { "lines": 70 } },\n    "verbose": true\n  }\n}\n';

  it('json_set and json_delete edit package.json through the same selectors', async () => {
    const set = await changeOnce(jsonSet, pkg, { path: 'jest.coverageThreshold.global.lines', value: 80 }, 'package.json');
    expect(await changedLines(pkg, set.text)).toEqual({
      removed: ['    "coverageThreshold": { "global": { "lines": 70 } },'],
      added: ['    "coverageThreshold": { "global": { "lines": 80 } },'],
    });
    const deleted = await changeOnce(jsonDelete, pkg, { path: 'jest.verbose' }, 'package.json');
    expect(JSON.parse(deleted.text)).toEqual({ name: 'shop', jest: { coverageThreshold: { global: { lines: 70 } } } });
  });

  it('does not apply a YAML primitive to a JSON file', async () => {
    expect(await run(yamlSet, pkg, { path: 'name', value: 'x' }, 'package.json')).toMatchObject({ kind: 'not_applicable' });
  });
});
