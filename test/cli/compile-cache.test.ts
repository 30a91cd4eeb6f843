/**
 * The compile cache through the real CLI: a dry run that edits a
 * jest.config.js (which loads ts-morph and TypeScript) stores the bytecode of
 * those libraries, a second run uses it, a corrupt or truncated cache file is
 * ignored and replaced, ORCHESTRATE_NO_CACHE=1 turns it off, and the run's
 * output is the same in every case. Build first (`npm run build`).
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, type CliResult } from '../helpers/cli.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'orchestrate-compile-cache-'));
  await copyFile(path.join(repoRoot, 'examples', 'demo-monorepo', 'jest.config.js'), path.join(dir, 'jest.config.js'));
  await writeFile(path.join(dir, 'package.json'), '{ "name": "target", "scripts": { "test": "jest" } }\n');
  await writeFile(
    path.join(dir, 'phases.yaml'),
    `version: 1
project: { name: target }
phases:
  - id: 1
    name: Coverage
    groups:
      - id: a
        tasks:
          - id: "1.1"
            name: Expand Jest coverage collection
            type: config_edit
            action: expand_coverage_collection
            file: jest.config.js
            params: { include: ["src/**/*.ts"], reporters: [json-summary, lcov, text] }
`,
  );
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const cacheDir = () => path.join(dir, 'cache');
const codeDir = () => path.join(cacheDir(), 'code');
/** Node 22.1+ keeps the cache itself (module.enableCompileCache); the CLI then only turns it on. */
const nodeHasItsOwn = typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function';

interface Run extends CliResult {
  /** The JSON events with what differs from run to run (times, run ids, durations, pids) blanked. */
  events: string;
  /** The compile cache's own line on stderr (ORCHESTRATE_DEBUG=cache), if any. */
  line: string | undefined;
  counts: Record<string, number>;
}

async function dryRun(env: Record<string, string> = {}): Promise<Run> {
  const result = await runCli(['run', '--all', '--dry-run', '--reporter', 'json', '--config', 'phases.yaml'], {
    cwd: dir,
    env: { CI: 'true', ORCHESTRATE_CACHE_DIR: cacheDir(), ORCHESTRATE_DEBUG: 'cache', ...env },
  });
  const blank = new Set(['time', 'runId', 'durationMs', 'pid']);
  const events = result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.stringify(JSON.parse(line), (key, value: unknown) => (blank.has(key) ? 0 : value)))
    .join('\n');
  const line = result.stderr.split('\n').find((l) => l.startsWith('compile cache: '));
  const counts = Object.fromEntries([...(line ?? '').matchAll(/(\d+) (hits?|missed|ignored|stored|not writable)/g)].map((m) => [m[2]!.replace(/^hits?$/, 'hits'), Number(m[1])]));
  return { ...result, events, line, counts };
}

async function entries(): Promise<string[]> {
  return existsSync(codeDir()) ? (await readdir(codeDir())).filter((name) => name.endsWith('.bin')).map((name) => path.join(codeDir(), name)) : [];
}

describe('the compile cache through the CLI', () => {
  let reference: Run;

  it('is off with ORCHESTRATE_NO_CACHE=1: nothing is stored and nothing said', async () => {
    reference = await dryRun({ ORCHESTRATE_NO_CACHE: '1' });
    expect(reference.code, reference.stderr).toBe(0);
    expect(reference.events).toContain('jest.config.js: collectCoverageFrom');
    expect(reference.line).toBeUndefined();
    expect(existsSync(cacheDir())).toBe(false);
  });

  it.runIf(nodeHasItsOwn)("turns on node's own cache where node has one, with the same output", async () => {
    const first = await dryRun();
    const second = await dryRun();
    for (const run of [first, second]) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.events).toBe(reference.events);
    }
    expect(existsSync(codeDir())).toBe(true);
  });

  it('says nothing for a command that loads no large library', async () => {
    const result = await runCli(['validate', '--config', 'phases.yaml'], { cwd: dir, env: { ORCHESTRATE_CACHE_DIR: cacheDir(), ORCHESTRATE_DEBUG: 'cache' } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('compile cache');
  });

  it.skipIf(nodeHasItsOwn)('stores the bytecode on a first run and uses it on the next, with the same output', async () => {
    const first = await dryRun();
    expect(first.code, first.stderr).toBe(0);
    expect(first.events).toBe(reference.events);
    expect(first.counts.hits).toBe(0);
    expect(first.counts.stored).toBeGreaterThanOrEqual(2); // ts-morph and the TypeScript it bundles, at least
    expect(first.counts.stored).toBe(first.counts.missed);
    expect(await entries()).toHaveLength(first.counts.stored!);

    const second = await dryRun();
    expect(second.code, second.stderr).toBe(0);
    expect(second.events).toBe(reference.events);
    expect(second.counts).toMatchObject({ hits: first.counts.stored, missed: 0, ignored: 0, stored: 0 });
  });

  it.skipIf(nodeHasItsOwn)('ignores and replaces corrupt and truncated entries, with the same output', async () => {
    const files = await entries();
    expect(files.length).toBeGreaterThanOrEqual(2);
    // One entry with bytes changed in its bytecode (same length), the others cut short.
    const [flipped, ...rest] = files;
    const bytes = await readFile(flipped!);
    for (let at = bytes.length - 4096; at < bytes.length - 2048; at++) bytes[at] = bytes[at]! ^ 0xff;
    await writeFile(flipped!, bytes);
    for (const file of rest) await truncate(file, 1000);

    const broken = await dryRun();
    expect(broken.code, broken.stderr).toBe(0);
    expect(broken.events).toBe(reference.events);
    expect(broken.counts).toMatchObject({ hits: 0, ignored: files.length, stored: files.length });

    const after = await dryRun();
    expect(after.events).toBe(reference.events);
    expect(after.counts).toMatchObject({ hits: files.length, ignored: 0, stored: 0 });
  });

  it.skipIf(nodeHasItsOwn)('ignores a file that is not an entry at all', async () => {
    const [file] = await entries();
    await writeFile(file!, 'not a cache entry');
    const run = await dryRun();
    expect(run.code, run.stderr).toBe(0);
    expect(run.events).toBe(reference.events);
    expect(run.counts.ignored).toBe(1);
  });
});
