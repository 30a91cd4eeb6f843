/**
 * schema/settings.schema.json is what editors check settings files against.
 * It must be exactly what `orchestrate schema --settings` prints, accept the
 * settings file the docs show, and refuse what the reader refuses.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot, runCli } from '../helpers/cli.js';

describe('the settings JSON Schema', () => {
  it('is committed as printed, and agrees with the reader on the documented file', async () => {
    const committed = await readFile(path.join(repoRoot, 'schema/settings.schema.json'), 'utf8');
    const printed = await runCli(['schema', '--settings']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe(committed);

    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(committed) as object);
    const docs = await readFile(path.join(repoRoot, 'docs/settings.md'), 'utf8');
    const example = /```yaml\n(# ~\/\.config\/orchestrate\/config\.yaml[\s\S]*?)```/.exec(docs)?.[1];
    expect(example).toBeDefined();
    expect(validate(parse(example!)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ concurrency: 0 })).toBe(false);
    expect(validate({ reporter: 'fancy' })).toBe(false);
    expect(validate({ label: ['x'] })).toBe(false);
    expect(validate({ untrusted: { commands: [['npm', 'test'], 'npx eslint .'], env: ['NODE_VERSION'] } })).toBe(true);
  });
});
