/**
 * Examples from the repository on real text: the READMEs of ms, bytes and
 * camelcase, installed from the npm registry (once, into node_modules/.cache),
 * mined for the calls they show; and through the handler, a function whose
 * only good inputs are the ones its README shows gets a passing test using
 * one of them.
 */
import { cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mineExamples } from '../../handlers/test-generation/explore/examples.js';
import { installPackages, makeProject, read, runTask } from './harness.js';

const PACKAGES = { ms: '2.1.3', bytes: '3.1.2', camelcase: '8.0.0' } as const;
let installDir = '';
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

beforeAll(async () => {
  installDir = await installPackages('examples', PACKAGES);
}, 300_000);

/** A project that is a copy of the installed package: its package.json, README and code at the root. */
function copyOf(name: keyof typeof PACKAGES): string {
  const project = makeProject({});
  cleanups.push(project.cleanup);
  cpSync(path.join(installDir, 'node_modules', name), project.root, { recursive: true });
  return project.root;
}

describe('examples mined from real READMEs', () => {
  it('ms: the strings and numbers its README converts, not the calls built from variables or other calls', async () => {
    const examples = await mineExamples(copyOf('ms'), 'index.js', ['default'], { perLabel: 20 });
    expect(examples['default']).toEqual([
      ...['2 days', '1d', '10h', '2.5 hrs', '2h', '1m', '5s', '1y', '100', '-3 days', '-1h', '-200'].map((s) => [JSON.stringify(s)]),
      ['60000'],
      ['2 * 60000'],
      ['-3 * 60000'],
      ['10 hours'].map((s) => JSON.stringify(s)),
      ['60000', '{ long: true }'],
      ['2 * 60000', '{ long: true }'],
      ['-3 * 60000', '{ long: true }'],
    ]);
  });

  it('bytes: the default export and its format and parse members, through `var bytes = require("bytes")`', async () => {
    const examples = await mineExamples(copyOf('bytes'), 'index.js', ['default', 'format', 'parse']);
    expect(examples['default']).toEqual([['1024'], ['"1KB"']]);
    expect(examples['format']?.slice(0, 4)).toEqual([['1024'], ['1000'], ['1000', '{ thousandsSeparator: " " }'], ['1024 * 1.7', '{ decimalPlaces: 0 }']]);
    expect(examples['parse']).toEqual([['"1KB"'], ['"1024"'], ['1024']]);
  });

  it('camelcase: `import camelCase from "camelcase"` names the default export; options objects come along', async () => {
    const examples = await mineExamples(copyOf('camelcase'), 'index.js', ['default']);
    // More calls than the cap: each way of calling (a string, a string and options, an array, an array and options) before a second string.
    expect(examples['default']?.slice(0, 5)).toEqual([['"foo-bar"'], ['"Foo-Bar"', '{ pascalCase: true }'], ['["foo", "bar"]'], ['["__foo__", "--bar"]', '{ pascalCase: true }'], ['"foo_bar"']]);
    expect(examples['default']?.length).toBe(16);
  });
});

describe('the handler with a README', () => {
  it('pins a call with a value from the README for a function whose inputs follow a format no type states', async () => {
    const project = makeProject({
      'package.json': JSON.stringify({ name: 'durations', type: 'module', main: 'src/duration.ts', devDependencies: { vitest: '^4' } }),
      'src/duration.ts': [
        'const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };',
        '/** "2 d", "90 s": a duration in milliseconds. */',
        'export function parseDuration(text: string): number {',
        '  const match = /^(\\d+) ?(ms|s|m|h|d)$/.exec(text);',
        '  if (!match) throw new Error(`not a duration: ${text}`);',
        '  return Number(match[1]) * (UNITS[match[2] as string] as number);',
        '}',
        '',
      ].join('\n'),
      'README.md': "# durations\n\n```ts\nimport { parseDuration } from 'durations';\n\nparseDuration('2 d'); // 172800000\n```\n",
    });
    cleanups.push(project.cleanup);
    const { outcome } = await runTask(project.root, { target: 'src/duration.ts', test_file: '{dir}/{name}.test.ts' });
    expect(outcome.summary).toMatch(/wrote src\/duration.test.ts: \d+ tests kept, 0 dropped, 0 placeholders/);
    const text = await read(project.root, 'src/duration.test.ts');
    expect(text).toContain('const result = subject.parseDuration("2 d");\n    expect(result).toBe(172800000);');
    // The variants of the README's call still try the made-up values, and pin what they do.
    expect(text).toContain('expect(() => subject.parseDuration("")).toThrow("not a duration: ");');
  });
});
