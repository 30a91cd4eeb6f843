/**
 * The short paths of the CLI, through the real CLI: `validate`, `plan`,
 * `status` and `run` run without yargs print the same bytes on both streams
 * (a run's clock times and run id aside) and exit
 * with the same code as when yargs parses the same line
 * (ORCHESTRATE_FAST_ARGS=0), for good plans, broken ones and bad usage; and
 * they really do leave yargs unloaded, as `--version` does.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, repoRoot, runCli, type CliResult } from '../helpers/cli.js';

let dir: string;

const PLAN = `version: 1
project: { name: short-paths }
phases:
  - id: 1
    name: First
    groups:
      - id: a
        tasks:
          - { id: "1.1", name: say hello, type: command, run: ["echo", "hello"] }
          - { id: "1.2", name: note, type: manual, instructions: "Turn on branch protection." }
  - id: 2
    name: Second
    depends_on: [1]
    groups:
      - id: b
        tasks:
          - { id: "2.1", name: again, type: command, run: ["sh", "-c", "echo again"] }
`;

const BROKEN = `version: 1
project: { name: broken }
phases:
  - id: 1
    name: Only
    groups:
      - id: a
        tasks:
          - { id: "1.1", type: command }
`;

beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-short-')));
  fs.writeFileSync(path.join(dir, 'phases.yaml'), PLAN);
  fs.writeFileSync(path.join(dir, 'broken.yaml'), BROKEN);
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Each line with the environment it runs in; each is run both ways. A run's lines show times, compared with digits masked. */
const LINES: Array<{ argv: string[]; env?: Record<string, string>; timed?: boolean }> = [
  { argv: ['validate'] },
  { argv: ['validate', '--format', 'json', '--verbose'] },
  { argv: ['validate', '--config', 'broken.yaml'] },
  { argv: ['validate', '--config=broken.yaml', '--format=json'] },
  { argv: ['validate', '--config', 'missing.yaml'] },
  { argv: ['validate', '--color'] },
  { argv: ['validate', '--trust', 'untrusted'] },
  { argv: ['plan'] },
  { argv: ['plan', '--phase', '2', '--format', 'json'] },
  { argv: ['plan', '--phase', '9'] },
  { argv: ['plan', '--format', 'mermaid', '--trust=untrusted'] },
  { argv: ['plan', '--config', 'broken.yaml', '--no-color'], env: { FORCE_COLOR: '1' } },
  { argv: ['status'] },
  { argv: ['status', '--json', '--verbose'] },
  { argv: ['status', '--config', 'missing.yaml', '--cwd', '.'] },
  { argv: ['status', '--color'] },
  { argv: ['run'] },
  { argv: ['run', '--phase', '9', '--dry-run'] },
  { argv: ['run', '--all', '--dry-run', '--reporter', 'plain'], timed: true },
  { argv: ['run', '--phase', '1', '--dry-run', '--reporter=json', '--concurrency', '1', '--with-deps'], timed: true },
];

const shown = (result: CliResult, timed = false) => {
  // Run ids (20261207T231328.015Z-4078a0) and clock times differ from run to run.
  const mask = (text: string) => (timed ? text.replace(/\d{8}T[\d.]+Z-[0-9a-f]+/g, 'RUN-ID').replace(/\d+/g, '#') : text);
  return { code: result.code, stdout: mask(result.stdout), stderr: mask(result.stderr) };
};

describe('a plain invocation', () => {
  it('prints the same and exits the same as when yargs parses it', async () => {
    const codes = new Set<number | null>();
    for (const { argv, env, timed } of LINES) {
      const both = [() => runCli(argv, { cwd: dir, env }), () => runCli(argv, { cwd: dir, env: { ...env, ORCHESTRATE_FAST_ARGS: '0' } })] as const;
      // Two runs at once in one repository would meet each other's lock: those go one after the other.
      const [short, parsed] = argv[0] === 'run' ? [await both[0](), await both[1]()] : await Promise.all([both[0](), both[1]()]);
      expect(shown(short, timed), argv.join(' ')).toEqual(shown(parsed, timed));
      expect(short.stderr, argv.join(' ')).not.toContain('    at ');
      codes.add(short.code);
    }
    // The lines cover successes and failures (a broken plan, a missing one, an unknown phase exit 2): the comparison is not only of successes.
    expect([...codes].sort()).toEqual([0, 2]);
  });

  it('--version prints the package version, as yargs does', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const [short, parsed] = await Promise.all([runCli(['--version'], { cwd: dir }), runCli(['--version'], { cwd: dir, env: { ORCHESTRATE_FAST_ARGS: '0' } })]);
    expect(shown(short)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(shown(parsed)).toEqual(shown(short));
  });
});

describe('what the short paths load', () => {
  it('validate, plan, status, run and --version load no yargs; help does', () => {
    // Without the plan cache the plan is parsed: the probe sees yaml (its control).
    const uncached = bundledPackages(['validate'], { ORCHESTRATE_NO_CACHE: '1' });
    expect(uncached).toContain('yaml');
    expect(uncached).not.toContain('yargs');
    // Once the plan is stored, a hit parses no YAML and writes nothing.
    bundledPackages(['validate']);
    const hit = bundledPackages(['validate']);
    expect(hit).not.toContain('yargs');
    expect(hit).not.toContain('yaml');
    expect(hit).not.toContain('write-file-atomic');
    expect(bundledPackages(['plan'])).not.toContain('yaml');
    expect(bundledPackages(['plan', '--format', 'json'])).not.toContain('yargs');
    expect(bundledPackages(['status'])).not.toContain('yargs');
    expect(bundledPackages(['run', '--all', '--dry-run', '--reporter', 'plain'])).not.toContain('yargs');
    const version = bundledPackages(['--version']);
    expect(version).not.toContain('yargs');
    expect(version).not.toContain('yaml');
    // The control: the probe sees yargs when it is loaded.
    expect(bundledPackages(['validate', '--help'])).toContain('yargs');
    expect(bundledPackages(['validate'], { ORCHESTRATE_FAST_ARGS: '0' })).toContain('yargs');
  });
});

/** The packages whose code the CLI loaded for `argv`: from the source maps of the bundle chunks it imported. */
function bundledPackages(argv: string[], env: Record<string, string> = {}): string[] {
  const probe = path.join(dir, `probe-${argv.join('_').replace(/\W/g, '')}-${Object.keys(env).length}.txt`);
  fs.rmSync(probe, { force: true });
  const result = spawnSync(process.execPath, ['--import', path.join(repoRoot, 'bench', 'probe-loaded.mjs'), cliPath, ...argv], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', ORCHESTRATE_BENCH_PROBE: probe, ...env },
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  const packages = new Set<string>();
  for (const line of fs.readFileSync(probe, 'utf8').trim().split('\n')) {
    const url = line.split('\t')[1] ?? '';
    if (!url.startsWith('file://') || !url.includes('/dist/')) continue;
    const map = `${fileURLToPath(url)}.map`;
    if (!fs.existsSync(map)) continue;
    for (const source of (JSON.parse(fs.readFileSync(map, 'utf8')) as { sources: string[] }).sources) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source)?.[1];
      if (name) packages.add(name);
    }
  }
  return [...packages];
}
