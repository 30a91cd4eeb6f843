/**
 * Layered settings through the real CLI: each layer (user file, repository
 * file, plan defaults, ORCHESTRATE_* environment, flags) beats the one below
 * it, as `orchestrate config` reports and as `run` behaves (attempts made,
 * tasks at once, the reporter chosen, the commit author, colour). Settings
 * files with problems are located like plan problems.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { git, makeGitRepo } from '../git/git-fixtures.js';
import { jsonEvents, makeRepo, runCli, shTask, type PlanInput, type Repo } from '../helpers/plans.js';

const homes: string[] = [];
afterAll(() => {
  for (const dir of homes) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh XDG_CONFIG_HOME, with the user's settings file when given. */
function userHome(settings?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-xdg-'));
  homes.push(dir);
  if (settings !== undefined) {
    fs.mkdirSync(path.join(dir, 'orchestrate'));
    fs.writeFileSync(path.join(dir, 'orchestrate', 'config.yaml'), settings);
  }
  return dir;
}

function repoSettings(repo: Repo, text: string): void {
  fs.mkdirSync(path.join(repo.dir, '.orchestrate'), { recursive: true });
  fs.writeFileSync(path.join(repo.dir, '.orchestrate', 'config.yaml'), text);
}

/** The environment of a run that no layer of the developer's machine leaks into. */
function cleanEnv(xdg: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { XDG_CONFIG_HOME: xdg, GITHUB_ACTIONS: '', GITHUB_EVENT_NAME: '' };
  for (const name of Object.keys(process.env)) if (name.startsWith('ORCHESTRATE_') && name !== 'ORCHESTRATE_FORCE_MAIN') env[name] = '';
  return { ...env, ...extra };
}

interface ConfigJson {
  settings: Record<string, { value: unknown; source: string; origin: string }>;
  files: { user: { path: string; found: boolean }; repository: { path: string; found: boolean; from: string } };
}

async function config(repo: Repo, env: Record<string, string>, args: string[] = []): Promise<ConfigJson> {
  const result = await runCli(repo, ['config', '--json', ...args], { env });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as ConfigJson;
}

/** Attempts the failing task 1.1 made in a run. */
async function attempts(repo: Repo, env: Record<string, string>, args: string[] = []): Promise<number> {
  const result = await runCli(repo, ['run', '--all', '--reporter', 'json', ...args], { env });
  expect(result.code, result.stderr).toBe(1);
  return jsonEvents(result.stdout).filter((event) => event.type === 'task:attempt' && event.taskId === '1.1').length;
}

const failing = (defaults: Record<string, unknown> = {}): PlanInput => ({
  defaults: { backoff: { initial: '1ms', jitter: false }, ...defaults },
  phases: [{ id: 1, name: 'One', groups: [{ id: 'a', tasks: [shTask('1.1', 'exit 1')] }] }],
});

describe('each layer beats the one below it', () => {
  it('retries: user file < repository file < plan defaults < ORCHESTRATE_RETRIES < --retries', async () => {
    const xdg = userHome('retries: 1\n');
    const repo = makeRepo(failing());
    const env = cleanEnv(xdg);
    expect((await config(repo, env)).settings.retries).toMatchObject({ value: 1, source: 'user' });
    expect(await attempts(repo, env)).toBe(2);

    repoSettings(repo, 'retries: 2\n');
    expect((await config(repo, env)).settings.retries).toMatchObject({ value: 2, source: 'repository' });
    expect(await attempts(repo, env)).toBe(3);

    fs.writeFileSync(repo.planFile, JSON.stringify({ version: 1, ...failing({ retries: 3 }) }));
    expect((await config(repo, env)).settings.retries).toMatchObject({ value: 3, source: 'plan' });
    expect(await attempts(repo, env)).toBe(4);

    const withEnv = { ...env, ORCHESTRATE_RETRIES: '0' };
    expect((await config(repo, withEnv)).settings.retries).toMatchObject({ value: 0, source: 'env', origin: 'ORCHESTRATE_RETRIES' });
    expect(await attempts(repo, withEnv)).toBe(1);

    expect(await attempts(repo, withEnv, ['--retries', '1'])).toBe(2);
  }, 300_000);

  it('timeout: ORCHESTRATE_TIMEOUT beats the plan’s defaults.timeout, and a task’s own timeout beats both', async () => {
    const plan: PlanInput = {
      defaults: { timeout: '10m' },
      phases: [{ id: 1, name: 'One', groups: [{ id: 'a', execution: 'parallel', tasks: [shTask('1.1', 'sleep 30'), shTask('1.2', 'sleep 1; echo ok > own.txt', { timeout: '1m' })] }] }],
    };
    const repo = makeRepo(plan);
    const env = cleanEnv(userHome('timeout: 20m\n'), { ORCHESTRATE_TIMEOUT: '500ms' });
    expect((await config(repo, env)).settings.timeout).toMatchObject({ value: 500, source: 'env' });
    const result = await runCli(repo, ['run', '--all', '--reporter', 'json'], { env });
    expect(result.code).toBe(1);
    const failed = jsonEvents(result.stdout).find((event) => event.type === 'task:finish' && event.taskId === '1.1');
    expect(String(failed?.error)).toContain('timed out after 500ms');
    expect(read(repo, 'own.txt')).toBe('ok');
  }, 300_000);

  it('concurrency from the user file limits a run, unless a flag says otherwise', async () => {
    // Each task waits a while for the other to be running too, and writes down whether it saw it.
    const meet = (me: string, other: string) =>
      shTask(me, `touch running-${me}; i=0; while [ $i -lt 30 ] && [ ! -e running-${other} ]; do sleep 0.1; i=$((i+1)); done; if [ -e running-${other} ]; then echo met > seen-${me}; else echo alone > seen-${me}; fi; sleep 0.3; rm running-${me}`);
    const plan: PlanInput = { phases: [{ id: 1, name: 'One', groups: [{ id: 'a', execution: 'parallel', tasks: [meet('1.1', '1.2'), meet('1.2', '1.1')] }] }] };
    const repo = makeRepo(plan);
    const env = cleanEnv(userHome('concurrency: 1\n'));
    expect((await config(repo, env)).settings.concurrency).toMatchObject({ value: 1, source: 'user' });
    const alone = await runCli(repo, ['run', '--all'], { env });
    expect(alone.code, alone.stderr).toBe(0);
    expect([read(repo, 'seen-1.1'), read(repo, 'seen-1.2')]).toEqual(['alone', 'alone']);

    const together = await runCli(repo, ['run', '--all', '--force', '--concurrency', '2'], { env });
    expect(together.code, together.stderr).toBe(0);
    expect([read(repo, 'seen-1.1'), read(repo, 'seen-1.2')]).toEqual(['met', 'met']);
  }, 300_000);

  it('reporter: repository file < ORCHESTRATE_REPORTER < --reporter', async () => {
    const repo = makeRepo({ phases: [{ id: 1, name: 'One', groups: [{ id: 'a', tasks: [shTask('1.1', 'true')] }] }] });
    repoSettings(repo, 'reporter: json\n');
    const env = cleanEnv(userHome());
    const isJson = (stdout: string) => jsonEvents(stdout).some((event) => event.type === 'run:start');
    // Without settings this run (CI, no terminal) would report plain lines.
    const fromFile = await runCli(repo, ['run', '--all'], { env });
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(isJson(fromFile.stdout)).toBe(true);

    const fromEnv = await runCli(repo, ['run', '--all', '--force'], { env: { ...env, ORCHESTRATE_REPORTER: 'plain' } });
    expect(fromEnv.stdout).toMatch(/Run complete/);
    expect(fromEnv.stdout).not.toMatch(/^\{/m);

    const fromFlag = await runCli(repo, ['run', '--all', '--force', '--reporter', 'json'], { env: { ...env, ORCHESTRATE_REPORTER: 'plain' } });
    expect(isJson(fromFlag.stdout)).toBe(true);
  }, 300_000);

  it('ORCHESTRATE_REPORTER=json alone picks the json reporter', async () => {
    const repo = makeRepo({ phases: [{ id: 1, name: 'One', groups: [{ id: 'a', tasks: [shTask('1.1', 'true')] }] }] });
    const result = await runCli(repo, ['run', '--all'], { env: cleanEnv(userHome(), { ORCHESTRATE_REPORTER: 'json' }) });
    expect(result.code, result.stderr).toBe(0);
    expect(jsonEvents(result.stdout).map((event) => event.type)).toContain('run:finish');
  }, 300_000);

  it('commits as the author of the user file, and as ORCHESTRATE_AUTHOR over it', async () => {
    const repo = makeGitRepo({ phases: [{ id: 1, name: 'One', groups: [{ id: 'a', tasks: [shTask('1.1', 'echo one > one.txt')] }] }] });
    const env = cleanEnv(userHome('author: Settings Person <settings@example.com>\n'));
    const result = await runCli(repo, ['run', '--all', '--commit'], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(git(repo.dir, 'log', '-1', '--format=%an <%ae>')).toBe('Settings Person <settings@example.com>');
    const overridden = await config(repo, { ...env, ORCHESTRATE_AUTHOR: 'Env Person <env@example.com>' });
    expect(overridden.settings.author).toMatchObject({ value: 'Env Person <env@example.com>', source: 'env' });
  }, 300_000);

  it('colour: the user file turns it on, NO_COLOR (the environment) turns it off, --color forces it', async () => {
    const repo = makeRepo({ phases: [{ id: 1, name: 'One', groups: [{ id: 'a', tasks: [shTask('1.1', 'true')] }] }] });
    const xdg = userHome('color: true\n');
    const on = await runCli(repo, ['validate'], { env: { ...cleanEnv(xdg), NO_COLOR: '' } });
    expect(on.stdout).toContain('\u001b[');
    const off = await runCli(repo, ['validate'], { env: cleanEnv(xdg) });
    expect(off.stdout).not.toContain('\u001b[');
    const forced = await runCli(repo, ['validate', '--color'], { env: cleanEnv(xdg) });
    expect(forced.stdout).toContain('\u001b[');
  }, 300_000);

  it('labels and reviewers: repository file, then ORCHESTRATE_LABELS over it', async () => {
    const repo = makeRepo({ phases: [{ id: 1, name: 'One', groups: [{ id: 'a', tasks: [shTask('1.1', 'true')] }] }] });
    repoSettings(repo, 'labels: [rollout]\nreviewers: [octocat]\n');
    const env = cleanEnv(userHome());
    const fromFile = await config(repo, env);
    expect(fromFile.settings.labels).toMatchObject({ value: ['rollout'], source: 'repository' });
    expect(fromFile.settings.reviewers).toMatchObject({ value: ['octocat'], source: 'repository' });
    const fromEnv = await config(repo, { ...env, ORCHESTRATE_LABELS: 'ci, coverage' });
    expect(fromEnv.settings.labels).toMatchObject({ value: ['ci', 'coverage'], source: 'env', origin: 'ORCHESTRATE_LABELS' });
  }, 300_000);
});

describe('orchestrate config', () => {
  it('prints each setting with its value and where it came from', async () => {
    const repo = makeRepo({ defaults: { timeout: '5m' }, phases: [{ id: 1, name: 'One', groups: [{ id: 'a', tasks: [shTask('1.1', 'true')] }] }] });
    const xdg = userHome('concurrency: 2\n');
    repoSettings(repo, 'labels: [rollout]\n');
    const result = await runCli(repo, ['config'], { env: cleanEnv(xdg, { ORCHESTRATE_TRUST: 'trusted' }) });
    expect(result.code, result.stderr).toBe(0);
    const line = (key: string) => result.stdout.split('\n').find((l) => l.trimStart().startsWith(`${key} `)) ?? '';
    expect(line('concurrency')).toMatch(/2\s+user file .*orchestrate\/config\.yaml/);
    expect(line('labels')).toMatch(/rollout\s+repository file .*\.orchestrate\/config\.yaml/);
    expect(line('timeout')).toMatch(/5m\s+plan .*phases\.yaml \(defaults\)/);
    expect(line('trust')).toMatch(/trusted\s+environment ORCHESTRATE_TRUST/);
    expect(line('retries')).toMatch(/0\s+built-in/);
    expect(result.stdout).toContain(path.join(xdg, 'orchestrate', 'config.yaml'));
  }, 300_000);
});

describe('settings files with problems', () => {
  it('are located (file:line:col and path) with a hint, exit 2', async () => {
    const repo = makeRepo({ phases: [{ id: 1, name: 'One', groups: [{ id: 'a', tasks: [shTask('1.1', 'true')] }] }] });
    const xdg = userHome('# mine\nconcurrency: 0\nreporter: fancy\nlabel: [x]\n');
    const result = await runCli(repo, ['run', '--all'], { env: cleanEnv(xdg) });
    expect(result.code).toBe(2);
    const file = path.join(xdg, 'orchestrate', 'config.yaml');
    expect(result.stderr).toContain(`${file}:2:14 concurrency\n  error: must be at least 1, found 0`);
    expect(result.stderr).toContain(`${file}:3:11 reporter`);
    expect(result.stderr).toMatch(/allowed: ink, plain, json, github/);
    expect(result.stderr).toContain(`${file}:4:1 label\n  error: unknown setting "label"`);
    expect(result.stderr).toContain('did you mean "labels"?');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(repo.dir, '.orchestrate', 'state.json'))).toBe(false);
  }, 300_000);

  it('a bad ORCHESTRATE_* value names the variable, exit 2', async () => {
    const repo = makeRepo({ phases: [{ id: 1, name: 'One', groups: [{ id: 'a', tasks: [shTask('1.1', 'true')] }] }] });
    const result = await runCli(repo, ['run', '--all'], { env: cleanEnv(userHome(), { ORCHESTRATE_CONCURRENCY: 'many' }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: ORCHESTRATE_CONCURRENCY=many is not a whole number of at least 1');
  }, 300_000);
});

function read(repo: Repo, file: string): string {
  return fs.readFileSync(path.join(repo.dir, file), 'utf8').trim();
}
