/**
 * schema/phases.schema.json is what editors validate phases.yaml against (the
 * roadmap's first line points at it). It must be exactly what `orchestrate
 * schema` prints, and it must accept what the loader accepts.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { builtInRegistry } from '../../handlers/built-in.js';
import { repoRoot, runCli } from '../helpers/cli.js';

type Json = Record<string, unknown>;

let committed = '';
let printed = '';
let schema: Json = {};

beforeAll(async () => {
  committed = await readFile(path.join(repoRoot, 'schema/phases.schema.json'), 'utf8');
  const result = await runCli(['schema']);
  expect(result.code).toBe(0);
  printed = result.stdout;
  schema = JSON.parse(committed) as Json;
});

/** Follow a path of property names and `items` through the schema. */
function at(node: unknown, ...steps: string[]): Json {
  let current = node as Json;
  for (const step of steps) {
    const next = step === 'items' ? current.items : (current.properties as Json | undefined)?.[step];
    if (!next || typeof next !== 'object') throw new Error(`the schema has no ${steps.join(' > ')} (stopped at ${step})`);
    current = next as Json;
  }
  return current;
}

/** The JSON types a schema node allows, looking into anyOf/oneOf. */
function typesOf(node: Json): string[] {
  const own = typeof node.type === 'string' ? [node.type] : Array.isArray(node.type) ? (node.type as string[]) : [];
  const alternatives = [...((node.anyOf as Json[] | undefined) ?? []), ...((node.oneOf as Json[] | undefined) ?? [])];
  return [...own, ...alternatives.flatMap(typesOf)];
}

const taskVariants = (): Json[] => (at(schema, 'phases', 'items', 'groups', 'items', 'tasks', 'items').oneOf as Json[] | undefined) ?? [];

describe('schema/phases.schema.json', () => {
  it('is exactly what `orchestrate schema` prints', () => {
    expect(committed, 'schema/phases.schema.json is out of date: run `npm run schema` and commit the result').toBe(printed);
  });

  it('is a JSON Schema that the roadmap points editors at', async () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const roadmap = await readFile(path.join(repoRoot, 'config/phases.yaml'), 'utf8');
    const pointer = /^# yaml-language-server: \$schema=(\S+)/.exec(roadmap)?.[1];
    expect(pointer && path.resolve(repoRoot, 'config', pointer)).toBe(path.join(repoRoot, 'schema/phases.schema.json'));
  });

  it('knows every task type and refuses keys it does not know, as the loader does', () => {
    const variants = taskVariants();
    expect(variants.map((v) => at(v, 'type').const)).toEqual(builtInRegistry().types());
    for (const variant of variants) {
      expect(variant.additionalProperties, `task type ${String(at(variant, 'type').const)}`).toBe(false);
      expect(variant.required).toEqual(expect.arrayContaining(['id', 'type']));
    }
    expect(at(schema, 'phases', 'items').additionalProperties).toBe(false);
    expect(at(schema, 'phases', 'items', 'groups', 'items').additionalProperties).toBe(false);
  });

  it('accepts ids written as whole numbers, as the roadmap writes them (`id: 1`, `depends_on: [1]`)', () => {
    const phase = at(schema, 'phases', 'items');
    const group = at(phase, 'groups', 'items');
    const idNodes: Record<string, Json> = {
      'phase id': at(phase, 'id'),
      'phase depends_on': at(phase, 'depends_on', 'items'),
      'phase parallel_with': at(phase, 'parallel_with', 'items'),
      'group id': at(group, 'id'),
      'group depends_on': at(group, 'depends_on', 'items'),
      ...Object.fromEntries(taskVariants().map((v) => [`${String(at(v, 'type').const)} task id`, at(v, 'id')])),
    };
    for (const [name, node] of Object.entries(idNodes)) {
      expect(typesOf(node), name).toEqual(expect.arrayContaining(['string', 'integer']));
    }
  });

  it('accepts config/phases.yaml and examples/hello/phases.yaml, as an editor would check them', async () => {
    const validate = new Ajv2020({ allErrors: true, strict: false, formats: { uri: (value: string) => URL.canParse(value) } }).compile(schema);
    for (const file of ['config/phases.yaml', 'examples/hello/phases.yaml']) {
      const data: unknown = parse(await readFile(path.join(repoRoot, file), 'utf8'));
      const ok = validate(data);
      expect(ok, `${file}: ${JSON.stringify(validate.errors, null, 2)}`).toBe(true);
    }
  });

  it('rejects, as an editor would flag them, an unknown key, an unknown task type and a bad duration', () => {
    const validate = new Ajv2020({ allErrors: true, strict: false, formats: { uri: (value: string) => URL.canParse(value) } }).compile(schema);
    const plan = (task: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      version: 1,
      ...extra,
      phases: [{ id: 1, name: 'p', groups: [{ id: 'a', tasks: [task] }] }],
    });
    expect(validate(plan({ id: '1.1', type: 'command', run: ['true'] }))).toBe(true);
    expect(validate(plan({ id: '1.1', type: 'command', run: ['true'], retires: 2 }))).toBe(false);
    expect(validate(plan({ id: '1.1', type: 'comand', run: ['true'] }))).toBe(false);
    expect(validate(plan({ id: '1.1', type: 'command', run: ['true'], timeout: '5 minutes' }))).toBe(false);
  });
});
