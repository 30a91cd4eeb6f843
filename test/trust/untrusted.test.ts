/**
 * Trust through the real CLI: under untrusted, command tasks, checkpoint
 * `run:`, manual `verify`, `shell: true`, test_generation and plugins are
 * refused with the rule named and nothing run, except argv prefixes on the
 * allowlist of the default branch's `.orchestrate/config.yaml` (read through
 * git, never the working tree); `validate` and `plan` list what would be
 * refused; a repository file can lower trust but never raise it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, makeGitRepo, NOTE_TEMPLATE, noteTask, type GitRepo } from '../git/git-fixtures.js';
import { runCli as runBuiltCli } from '../helpers/cli.js';
import { runCli, shTask, type PlanInput, type StatusReport } from '../helpers/plans.js';

const xdg = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-xdg-'));
afterAll(() => fs.rmSync(xdg, { recursive: true, force: true }));
const env = { XDG_CONFIG_HOME: xdg, GITHUB_ACTIONS: '', ORCHESTRATE_TRUST: '' };

const DEFAULT_BRANCH_SETTINGS = 'untrusted:\n  commands:\n    - [node, --version]\n    - "sh -c true"\n';
/** The pull request's copy: it tries to allowlist every sh command and to raise trust. */
const PULL_REQUEST_SETTINGS = 'trust: trusted\nuntrusted:\n  commands: [[sh]]\n  test_generation: true\n';

const plan: PlanInput = {
  phases: [
    {
      id: 1,
      name: 'Tasks',
      groups: [
        {
          id: 'a',
          execution: 'parallel',
          tasks: [
            { id: 'allowed', type: 'command', run: ['node', '--version'] },
            shTask('command', 'touch pwned-command'),
            { id: 'shell', type: 'command', run: 'sh -c true; touch pwned-shell', shell: true },
            { id: 'env', type: 'command', run: 'sh -c true', env: { NODE_OPTIONS: '--require ./evil.js' } },
            { id: 'verify', type: 'manual', instructions: 'Look.', verify: ['sh', '-c', 'touch pwned-verify'] },
            { id: 'tests', type: 'test_generation', targets: 'src/*.js' },
          ],
        },
      ],
    },
    {
      id: 2,
      name: 'Checks',
      depends_on: [],
      groups: [{ id: 'a', tasks: [{ id: 'allowed-2', type: 'command', run: 'sh -c true' }] }],
      checkpoints: [{ name: 'suite', run: ['sh', '-c', 'touch pwned-checkpoint'] }],
    },
  ],
};

let repo: GitRepo;
beforeAll(() => {
  repo = makeGitRepo(plan, { '.orchestrate/config.yaml': DEFAULT_BRANCH_SETTINGS, 'src/add.js': 'exports.add = (a, b) => a + b;\n' });
  git(repo.dir, 'remote', 'set-head', 'origin', 'main');
  // The pull request: its branch changes the repository's settings file.
  git(repo.dir, 'checkout', '--quiet', '-b', 'contributor-change');
  fs.writeFileSync(path.join(repo.dir, '.orchestrate/config.yaml'), PULL_REQUEST_SETTINGS);
  git(repo.dir, 'commit', '--quiet', '-am', 'widen the allowlist');
});

describe('a run under untrusted', () => {
  let status: StatusReport;
  let stdout: string;
  let stderr: string;
  beforeAll(async () => {
    const result = await runCli(repo, ['run', '--all', '--trust', 'untrusted', '--reporter', 'plain'], { env });
    expect(result.code, result.stderr).toBe(1);
    ({ stdout, stderr } = result);
    const report = await runCli(repo, ['status', '--json'], { env });
    status = JSON.parse(report.stdout) as StatusReport;
  }, 300_000);

  const task = (id: string) => status.phases.flatMap((p) => p.groups.flatMap((g) => g.tasks)).find((t) => t.id === id)!;

  it('runs nothing it refuses', () => {
    expect(fs.readdirSync(repo.dir).filter((name) => name.startsWith('pwned'))).toEqual([]);
  });

  it('runs commands whose argv starts with an allowlisted prefix of the default branch', () => {
    expect(task('allowed').status).toBe('done');
    expect(task('allowed-2').status).toBe('done');
  });

  it('refuses a command task off the allowlist, even one the pull request’s settings allow', () => {
    expect(task('command')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(task('command').error).toContain('refused under untrusted (rule command): task command runs `sh -c touch pwned-command`, which is not on the allowlist');
    expect(task('command').error).toContain('hint: the allowlist is untrusted.commands in .orchestrate/config.yaml on the default branch');
  });

  it('refuses shell: true even when the command starts with an allowlisted prefix', () => {
    expect(task('shell').error).toContain('(rule shell): task shell runs `sh -c true; touch pwned-shell` through a shell (shell: true)');
  });

  it('refuses an allowlisted command that sets its environment', () => {
    expect(task('env').error).toContain('(rule command-env)');
  });

  it('refuses a manual task’s verify command', () => {
    expect(task('verify').error).toContain('(rule manual-verify): task verify verifies with `sh -c touch pwned-verify`');
  });

  it('refuses test generation, which runs the repository’s code', () => {
    expect(task('tests').error).toContain('(rule test-generation)');
  });

  it('fails a checkpoint whose run: is not allowlisted, naming the rule', () => {
    const phase = status.phases.find((p) => p.id === '2')!;
    expect(phase.status).toBe('failed');
    expect(phase.checkpoints[0]).toMatchObject({ name: 'suite', passed: false });
    expect(phase.checkpoints[0]!.detail).toContain('refused under untrusted (rule checkpoint-run): checkpoint "suite" of phase 2 runs `sh -c touch pwned-checkpoint`');
    expect(`${stdout}${stderr}`).toContain('rule checkpoint-run');
  });
});

describe('the allowlist and trust', () => {
  it('come from the default branch, not the working tree', async () => {
    const result = await runCli(repo, ['config', '--json', '--trust', 'untrusted'], { env });
    expect(result.code, result.stderr).toBe(0);
    const shown = JSON.parse(result.stdout) as { untrusted: { allow: { commands: unknown[]; test_generation: boolean } }; files: { repository: { from: string } }; settings: { trust: { value: string } } };
    expect(shown.files.repository.from).toBe('refs/remotes/origin/main');
    expect(shown.untrusted.allow).toMatchObject({ commands: [['node', '--version'], 'sh -c true'], test_generation: false });
    expect(shown.settings.trust.value).toBe('untrusted');
  }, 300_000);

  it('cannot be raised by the repository’s file, only lowered', async () => {
    const raised = JSON.parse((await runCli(repo, ['config', '--json'], { env: { ...env, ORCHESTRATE_TRUST: 'untrusted' } })).stdout) as { settings: { trust: { value: string; source: string } } };
    expect(raised.settings.trust).toMatchObject({ value: 'untrusted', source: 'env' });

    fs.writeFileSync(path.join(repo.dir, '.orchestrate/config.yaml'), 'trust: untrusted\n');
    try {
      const lowered = JSON.parse((await runCli(repo, ['config', '--json'], { env })).stdout) as { settings: { trust: { value: string; source: string } } };
      expect(lowered.settings.trust).toMatchObject({ value: 'untrusted', source: 'repository' });
      const refused = await runCli(repo, ['run', '--task', 'command', '--trust', 'trusted'], { env });
      expect(refused.code).toBe(1);
      expect(fs.existsSync(path.join(repo.dir, 'pwned-command'))).toBe(false);
    } finally {
      git(repo.dir, 'checkout', '--', '.orchestrate/config.yaml');
    }
  }, 300_000);

  it('validate and plan list what a run would refuse, by rule', async () => {
    const validate = await runCli(repo, ['validate', '--trust', 'untrusted'], { env });
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toContain('trust is untrusted: a run would refuse 6 items:');
    for (const rule of ['command', 'shell', 'command-env', 'manual-verify', 'test-generation', 'checkpoint-run']) expect(validate.stdout).toContain(`(rule ${rule})`);
    expect(validate.stdout).not.toContain('task allowed:');

    const planJson = JSON.parse((await runCli(repo, ['plan', '--format', 'json', '--phase', '2', '--trust', 'untrusted'], { env })).stdout) as { trust: string; refused: Array<{ rule: string; subject: string }> };
    expect(planJson.trust).toBe('untrusted');
    expect(planJson.refused).toEqual([expect.objectContaining({ rule: 'checkpoint-run', subject: 'checkpoint "suite" of phase 2' })]);

    const trusted = await runCli(repo, ['validate'], { env });
    expect(trusted.stdout).not.toContain('untrusted');
  }, 300_000);

  it('refuses a plan that names plugins, before loading anything', async () => {
    const planText = fs.readFileSync(repo.planFile, 'utf8');
    const withPlugins = { ...(JSON.parse(planText) as Record<string, unknown>), handlers: ['./plugins/evil.js'] };
    const file = path.join(repo.dir, 'with-plugins.yaml');
    fs.writeFileSync(file, JSON.stringify(withPlugins));
    const result = await runCli({ ...repo, planFile: file }, ['run', '--all', '--trust', 'untrusted'], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: refused under untrusted (rule plugins): the plan names handler plugins (`handlers:`)');
  }, 300_000);

  it('refuses the plugins of a plan piped in on stdin before importing them', () => {
    // Importing this plugin leaves a mark: the proof that its code ran.
    const evil = path.join(repo.dir, 'evil-plugin.mjs');
    const mark = path.join(repo.dir, 'plugin-ran');
    fs.writeFileSync(evil, `import fs from 'node:fs';\nfs.writeFileSync(${JSON.stringify(mark)}, '');\nexport default {};\n`);
    const withPlugins = { ...(JSON.parse(fs.readFileSync(repo.planFile, 'utf8')) as Record<string, unknown>), handlers: [evil] };
    const bin = path.join(import.meta.dirname, '..', '..', 'bin', 'orchestrate.js');
    const piped = path.join(repo.dir, 'piped-plan.json');
    fs.writeFileSync(piped, JSON.stringify(withPlugins));
    // Through a shell pipe, as a person pipes a plan in.
    const result = spawnSync('sh', ['-c', `cat "${piped}" | "${process.execPath}" "${bin}" validate --config /dev/stdin --cwd "${repo.dir}" --trust untrusted`], {
      cwd: repo.dir,
      encoding: 'utf8',
      env: { ...process.env, ...env, NO_COLOR: '1' },
    });
    expect(result.stderr).toContain('refused under untrusted (rule plugins)');
    expect(result.status).toBe(1);
    expect(fs.existsSync(mark)).toBe(false);
  });
});

describe('file generation under untrusted', () => {
  it('is refused where prettier would run a config that is code, and runs elsewhere', async () => {
    // Executed by prettier when it reads the config: the proof that it ran.
    const config = "require('node:fs').writeFileSync(require('node:path').join(__dirname, '..', 'pwned-prettier'), '');\nmodule.exports = {};\n";
    const target = makeGitRepo(
      { templates_dir: 'templates', phases: [{ id: 1, name: 'Notes', groups: [{ id: 'a', execution: 'parallel', tasks: [noteTask('web', 'web/note.md'), noteTask('docs', 'docs/note.md')] }] }] },
      { ...NOTE_TEMPLATE, 'web/prettier.config.js': config, 'web/.keep': '' },
    );
    git(target.dir, 'remote', 'set-head', 'origin', 'main');
    const untrusted = await runCli(target, ['run', '--all', '--trust', 'untrusted', '--reporter', 'plain'], { env });
    expect(untrusted.code).toBe(1);
    expect(untrusted.stdout).toContain('refused under untrusted (rule formatter-config): task web formats web/note.md with prettier under web/prettier.config.js');
    expect(fs.existsSync(path.join(target.dir, 'pwned-prettier'))).toBe(false);
    expect(fs.readFileSync(path.join(target.dir, 'docs/note.md'), 'utf8')).toContain('note from task docs');

    const validate = await runCli(target, ['validate', '--trust', 'untrusted'], { env });
    expect(validate.stdout).toContain('task web: formats web/note.md with prettier under web/prettier.config.js');

    // Trusted, the same config does run: what the refusal prevents is real.
    const trusted = await runCli(target, ['run', '--all'], { env });
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(fs.existsSync(path.join(target.dir, 'pwned-prettier'))).toBe(true);
  }, 300_000);
});

describe('where an untrusted plan may write', () => {
  it('not inside .git, where git would run what it finds', async () => {
    const target = makeGitRepo({ templates_dir: 'templates', phases: [{ id: 1, name: 'Hooks', groups: [{ id: 'a', tasks: [noteTask('hook', '.git/hooks/pre-push')] }] }] }, NOTE_TEMPLATE);
    const result = await runCli(target, ['run', '--all', '--trust', 'untrusted', '--reporter', 'plain'], { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('(rule git-dir): task hook writes .git/hooks/pre-push');
    expect(fs.existsSync(path.join(target.dir, '.git/hooks/pre-push'))).toBe(false);
  }, 300_000);

  it('not in a folder its project.root names outside the working directory; --cwd is the operator’s', async () => {
    const target = makeGitRepo({ phases: [{ id: 1, name: 'One', groups: [{ id: 'a', tasks: [shTask('1.1', 'true')] }] }] });
    const plan = JSON.parse(fs.readFileSync(target.planFile, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(target.planFile, JSON.stringify({ ...plan, project: { name: 'away', root: '..' } }));
    const result = await runBuiltCli(['plan', '--trust', 'untrusted', '--config', 'phases.yaml'], { cwd: target.dir, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: refused under untrusted (rule project-root): the plan sets project.root to ${path.dirname(target.dir)}`);
    expect(result.stderr).toContain('hint: pass --cwd DIR');
    const trusted = await runBuiltCli(['plan', '--config', 'phases.yaml'], { cwd: target.dir, env });
    expect(trusted.code, trusted.stderr).toBe(0);
  }, 300_000);
});
