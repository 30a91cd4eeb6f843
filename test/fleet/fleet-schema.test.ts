/**
 * schema/fleet.schema.json is what editors check fleet.yaml against: exactly
 * what `orchestrate schema --fleet` prints, accepting the example fleet and
 * refusing what the loader refuses.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot, runCli } from '../helpers/cli.js';

describe('schema/fleet.schema.json', () => {
  it('is exactly what `orchestrate schema --fleet` prints, and accepts the example fleet', async () => {
    const committed = await readFile(path.join(repoRoot, 'schema/fleet.schema.json'), 'utf8');
    const printed = await runCli(['schema', '--fleet']);
    expect(printed.code).toBe(0);
    expect(committed, 'schema/fleet.schema.json is out of date: run `npm run schema`').toBe(printed.stdout);
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(committed) as object);
    const example = parse(await readFile(path.join(repoRoot, 'examples/fleet/fleet.yaml'), 'utf8')) as Record<string, unknown>;
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...example, pacing: { concurency: 2 } })).toBe(false);
    expect(validate({ ...example, repositories: [{ repo: 'no-slash' }] })).toBe(false);
  });
});
