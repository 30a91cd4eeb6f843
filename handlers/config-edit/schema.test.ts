/**
 * The params of a config_edit task are checked per action: by the plan
 * schema (what `orchestrate validate` reports, located under `params`) and by
 * the committed JSON Schema an editor uses (checked here with ajv, as an
 * editor would).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { planSchemaFor } from '../../src/config/plan-schema.js';
import { loadedBuiltInRegistry } from '../built-in.js';
import { NAMED_ACTIONS, PRIMITIVE_ACTIONS } from './schema.js';
import { actionFor } from './actions/index.js';

const planSchema = planSchemaFor(await loadedBuiltInRegistry());

const plan = (task: Record<string, unknown>) => ({
  version: 1,
  phases: [{ id: 1, name: 'p', groups: [{ id: 'a', tasks: [{ id: '1.1', type: 'config_edit', file: 'jest.config.js', ...task }] }] }],
});

const GOOD = { action: 'expand_coverage_collection', params: { include: ['src/**/*.ts'], reporters: ['lcov'] } };
const MISSPELT = { action: 'expand_coverage_collection', params: { include: ['src/**/*.ts'], reporter: ['lcov'] } };
const NO_REGISTRY = { action: 'implement_staging_deploy', file: 'deploy.yml', params: { environment: 'staging', url: 'https://s.example.com', branch: 'main' } };
const TOO_HIGH = { action: 'add_directory_thresholds', params: { thresholds: { global: { lines: 120 } } } };

describe('config_edit params', () => {
  it('has a module for every action name', () => {
    for (const name of [...NAMED_ACTIONS, ...PRIMITIVE_ACTIONS]) expect(actionFor(name)?.name, name).toBe(name);
  });

  it('are checked by the plan schema, each problem under params', () => {
    expect(planSchema.safeParse(plan(GOOD)).success).toBe(true);
    const issues = (task: Record<string, unknown>) =>
      planSchema.safeParse(plan(task)).error?.issues.map((i) => `${i.path.slice(6).join('.')}: ${i.message}`);
    expect(issues(MISSPELT)).toEqual([expect.stringMatching(/^params: /)]);
    expect(planSchema.safeParse(plan(MISSPELT)).error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['reporter'] });
    expect(issues(NO_REGISTRY)).toEqual([
      'params.registry: missing required field "registry": give the image registry and name, e.g. ghcr.io/org/app (orchestrate cannot tell where images go)',
    ]);
    expect(issues(TOO_HIGH)?.[0]).toMatch(/^params\.thresholds\.global\.lines: /);
    expect(issues({ action: 'add_directory_thresholds' })).toEqual(['params: this field is required']);
  });

  it('are checked by the JSON Schema an editor uses', () => {
    const schema = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../schema/phases.schema.json'), 'utf8')) as object;
    const validate = new Ajv2020({ allErrors: true, strict: false, formats: { uri: (value: string) => URL.canParse(value) } }).compile(schema);
    expect(validate(plan(GOOD)), JSON.stringify(validate.errors)).toBe(true);
    for (const bad of [MISSPELT, NO_REGISTRY, TOO_HIGH]) expect(validate(plan(bad)), JSON.stringify(bad)).toBe(false);
  });
});
