/**
 * The published package, as a user gets it. A copy of the checkout is packed
 * with `npm pack` (whose prepack builds dist/ as it is published), the
 * tarball's file list is checked, and the tarball is installed into an empty
 * project where `npx orchestrate` is run. One pack and one install serve every
 * case. The install resolves the dependencies from npm's cache first and from
 * the registry for what the cache lacks; the install cases are skipped, with
 * the reason, only when the registry cannot be reached and the cache alone
 * does not suffice.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { copyCheckout, repoRoot } from '../helpers/checkout-copy.js';

const sourcePackage = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };

/**
 * The environment for npm and npx: the user's own npm settings (cache,
 * registry, proxy) stay, but what `npm test` sets about this package
 * (its prefix, its package.json, the script running) would point npm back at
 * the checkout instead of the project it is run in.
 */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const lower = key.toLowerCase();
    if (/^npm_(package|lifecycle)_/.test(lower) || ['npm_config_local_prefix', 'npm_config_prefix', 'npm_command', 'npm_config_call', 'init_cwd', 'force_color'].includes(lower)) continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: '1', CI: 'true' };
}

function run(command: string, args: string[], cwd: string, timeoutMs: number): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: npmEnv(), encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
}

function output(result: SpawnSyncReturns<string>): string {
  return `exit ${result.status}${result.error ? ` (${result.error.message})` : ''}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

/**
 * `npx orchestrate ARGS` in the installed project, as a user types it;
 * `--yes=false` so that a missing local bin fails instead of fetching the
 * unrelated package the registry calls `orchestrate`.
 */
function npxOrchestrate(args: string[]): SpawnSyncReturns<string> {
  return run('npx', ['--yes=false', 'orchestrate', ...args], project, 120_000);
}

let work = '';
let tarball = '';
let entries: string[] = [];
/** The tarball extracted: its `package/` folder. */
let unpackedRoot = '';
let project = '';
/** Why the install cases cannot run here (registry unreachable, cache short); undefined when the install worked. */
let skipReason: string | undefined;
/** The failed install's output, when the registry was reachable: a real failure. */
let installFailure: string | undefined;

beforeAll(() => {
  work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-pack-')));
  const copy = copyCheckout('orchestrate-pack-source-');
  try {
    const packed = run('npm', ['pack', '--json', '--pack-destination', work], copy, 300_000);
    if (packed.status !== 0) throw new Error(`npm pack failed:\n${output(packed)}`);
    const [info] = JSON.parse(packed.stdout) as Array<{ filename: string }>;
    if (!info) throw new Error(`npm pack reported no tarball:\n${output(packed)}`);
    tarball = path.join(work, info.filename);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
  const listed = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`tar could not list ${tarball}:\n${listed.stderr}`);
  entries = listed.stdout.split('\n').filter(Boolean).map((entry) => entry.replace(/^package\//, ''));
  const extracted = path.join(work, 'extracted');
  fs.mkdirSync(extracted);
  const unpacked = spawnSync('tar', ['-xzf', tarball, '-C', extracted], { encoding: 'utf8' });
  if (unpacked.status !== 0) throw new Error(`tar could not extract ${tarball}:\n${unpacked.stderr}`);
  unpackedRoot = path.join(extracted, 'package');

  project = path.join(work, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), `${JSON.stringify({ name: 'installed-project', private: true }, null, 2)}\n`);
  fs.writeFileSync(
    path.join(project, 'phases.yaml'),
    [
      'version: 1',
      'project: { name: installed }',
      'phases:',
      '  - id: 1',
      '    name: Fixtures',
      '    groups:',
      '      - id: a',
      '        tasks:',
      '          - { id: "1.1", name: Users fixture, type: file_generation, template: fixtures/users, target: test/fixtures/users.ts }',
      '          - { id: "1.2", name: Lint, type: command, run: ["npx", "eslint", "."] }',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(project, 'broken.yaml'),
    ['version: 1', 'project: { name: installed }', 'phases:', '  - id: 1', '    name: One', '    groups:', '      - id: a', '        tasks:', '          - { id: "1.1", type: command, runn: ["true"] }', ''].join('\n'),
  );
  const ping = run('npm', ['ping', '--fetch-timeout=20000', '--fetch-retries=0'], project, 60_000);
  const reachable = ping.status === 0;
  const install = run('npm', ['install', '--save-dev', reachable ? '--prefer-offline' : '--offline', '--no-audit', '--no-fund', tarball], project, 420_000);
  if (install.status === 0) return;
  if (reachable) installFailure = `npm install of the packed tarball failed:\n${output(install)}`;
  else skipReason = `the npm registry is unreachable (npm ping: ${pingProblem(ping)}) and the npm cache alone could not install the dependencies`;
}, 900_000);

/** The line of a failed `npm ping` that says why (npm's FetchError line), else its first error line. */
function pingProblem(ping: SpawnSyncReturns<string>): string {
  if (ping.error) return ping.error.message;
  const lines = ping.stderr.split('\n').map((line) => line.replace(/^npm error\s*/, '').trim());
  return lines.find((line) => line.startsWith('FetchError')) ?? lines.find((line) => line !== '') ?? `exit ${ping.status}`;
}

afterAll(() => {
  if (work !== '') fs.rmSync(work, { recursive: true, force: true });
});

/** Stop a case that needs the installed package when the install could not be made here (skip) or failed (fail). */
function needInstall(context: TestContext): void {
  if (installFailure) throw new Error(installFailure);
  if (skipReason) context.skip(skipReason);
}

describe('the packed tarball', () => {
  it('carries the bin, the bundle, the templates, the schema and the docs a user reads', () => {
    expect(path.basename(tarball)).toBe(`orchestrate-rollout-${sourcePackage.version}.tgz`);
    for (const file of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'bin/orchestrate.js', 'dist/cli.js', 'schema/phases.schema.json', 'templates/github/commit-message.handlebars', 'templates/fixtures/users.ts.hbs']) {
      expect(entries, file).toContain(file);
    }
    // Every built-in template of the checkout is shipped.
    const templates = fs.readdirSync(path.join(repoRoot, 'templates'), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    for (const entry of templates) expect(entries).toContain(path.relative(repoRoot, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
  });

  it('carries nothing else: no sources, tests, fixtures, examples, benchmarks or source maps', () => {
    const topLevel = new Set(['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE']);
    const outside = entries.filter((entry) => !topLevel.has(entry) && !/^(bin|dist|templates|schema)\//.test(entry));
    expect(outside).toEqual([]);
    expect(entries.filter((entry) => /^(src|handlers|test|examples|bench|scripts|config|docs)\//.test(entry) || /(^|\/)__tests__\//.test(entry))).toEqual([]);
    expect(entries.filter((entry) => /\.(test|spec)\.[cm]?[jt]sx?$/.test(entry))).toEqual([]);
    // TypeScript sources stay home; declaration files (.d.ts) would be welcome.
    expect(entries.filter((entry) => /\.[cm]?tsx?$/.test(entry) && !/\.d\.[cm]?ts$/.test(entry) && !entry.startsWith('templates/'))).toEqual([]);
    expect(entries.filter((entry) => entry.endsWith('.map'))).toEqual([]);
  });

  it('has no bundle file that points at a source map or at a chunk the tarball lacks', () => {
    const scripts = entries.filter((file) => /^(bin|dist)\/.*\.js$/.test(file));
    expect(scripts.length).toBeGreaterThan(2);
    for (const entry of scripts) {
      const text = fs.readFileSync(path.join(unpackedRoot, entry), 'utf8');
      expect(text, entry).not.toMatch(/sourceMappingURL=/);
      for (const match of text.matchAll(/(?:from|import\(?)\s*["'](\.{1,2}\/[^"'\s]+\.js)["']/g)) {
        const relative = match[1] ?? '';
        expect(fs.existsSync(path.resolve(path.dirname(path.join(unpackedRoot, entry)), relative)), `${entry} imports ${relative}`).toBe(true);
      }
    }
  });

  it('names the package orchestrate-rollout, with the orchestrate command and the Node versions it runs on', () => {
    const packed = JSON.parse(fs.readFileSync(path.join(unpackedRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(packed).toMatchObject({ name: 'orchestrate-rollout', version: sourcePackage.version, bin: { orchestrate: 'bin/orchestrate.js' }, engines: { node: '>=20.19' }, license: 'MIT' });
    // What the registry page shows and links to.
    expect(packed['repository']).toMatchObject({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/github\.com\//) });
    expect(packed['keywords']).toEqual(expect.arrayContaining(['ci', 'test-coverage']));
  });
});

describe('the package installed from the tarball into an empty project', () => {
  it('`npx orchestrate --version` prints the package version', (context) => {
    needInstall(context);
    const result = npxOrchestrate(['--version']);
    expect(result.status, output(result)).toBe(0);
    expect(result.stdout.trim()).toBe(sourcePackage.version);
  });

  it('`npx orchestrate validate` accepts a small plan', (context) => {
    needInstall(context);
    const result = npxOrchestrate(['validate']);
    expect(result.status, output(result)).toBe(0);
    expect(result.stdout).toContain('phases.yaml is valid: 1 phase, 1 group, 2 tasks');
  });

  it('`npx orchestrate validate` rejects a broken plan with exit 2 and the problem located', (context) => {
    needInstall(context);
    const result = npxOrchestrate(['validate', '--config', 'broken.yaml']);
    expect(result.status, output(result)).toBe(2);
    expect(result.stdout + result.stderr).toMatch(/broken\.yaml:9:41 phases\[0\]\.groups\[0\]\.tasks\[0\]\.runn\n\s+error: unknown key "runn"/);
    expect(result.stdout + result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });

  it('renders a built-in template, formatted by the installed prettier, in a dry run', (context) => {
    needInstall(context);
    const result = npxOrchestrate(['run', '--task', '1.1', '--dry-run', '--reporter', 'plain']);
    expect(result.status, output(result)).toBe(0);
    expect(result.stdout).toMatch(/\+\+\+ b\/test\/fixtures\/users\.ts/);
    // The template's own text, as prettier's defaults lay it out.
    expect(result.stdout).toContain('+export type UserRole = "admin" | "member" | "viewer";');
    expect(fs.existsSync(path.join(project, 'test'))).toBe(false);
  });

  it('`npx orchestrate init` points the plan at the installed JSON Schema', (context) => {
    needInstall(context);
    const result = npxOrchestrate(['init']);
    expect(result.status, output(result)).toBe(0);
    const modeline = /^# yaml-language-server: \$schema=(\S+)$/m.exec(result.stdout);
    expect(modeline?.[1]).toBe('node_modules/orchestrate-rollout/schema/phases.schema.json');
    expect(JSON.parse(fs.readFileSync(path.join(project, modeline![1]!), 'utf8'))).toHaveProperty('$schema');
  });

  it('exports the programmatic API with its types: `import { validatePlan } from "orchestrate-rollout"` checks the plan', (context) => {
    needInstall(context);
    const script = "import('orchestrate-rollout').then(async (api) => { const r = await api.validatePlan(); console.log(typeof api.run, typeof api.status, r.valid); })";
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: project, encoding: 'utf8' });
    expect(result.status, output(result)).toBe(0);
    expect(result.stdout.trim()).toBe('function function true');
    const installed = JSON.parse(fs.readFileSync(path.join(project, 'node_modules/orchestrate-rollout/package.json'), 'utf8')) as { types?: string };
    expect(installed.types).toBeDefined();
    expect(fs.existsSync(path.join(project, 'node_modules/orchestrate-rollout', installed.types!))).toBe(true);
  });
});
