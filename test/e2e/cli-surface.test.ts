/**
 * The small things a person meets every day, through the CLI as a process:
 * the version, colour on request, a misspelt option, the help of a
 * subcommand, template fields in `plan`, and a GitHub expression inside a
 * template.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildCli } from '../../scripts/build.mjs';
import { describe, expect, it } from 'vitest';
import { makeRepo, runCli, shTask } from '../helpers/plans.js';

const version = (JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }).version;

describe('the command line', () => {
  it('prints the real version from anywhere, not only inside the clone', async () => {
    // The CLI installed somewhere with no package.json above it.
    const elsewhere = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-installed-')));
    try {
      await buildCli(path.join(elsewhere, 'dist'), { logLevel: 'silent' });
      const shown = execFileSync(process.execPath, [path.join(elsewhere, 'dist', 'cli.js'), '--version'], { cwd: elsewhere, encoding: 'utf8' });
      expect(shown.trim()).toBe(version);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('colours with --color even off a terminal and under NO_COLOR, and suggests --dry-run for --dryrun', async () => {
    const repo = makeRepo({ phases: [{ id: 1, name: 'One', groups: [{ id: 'a', tasks: [shTask('1.1', 'true')] }] }] });
    const coloured = await runCli(repo, ['plan', '--color']);
    expect(coloured.stdout).toContain('\u001b[');
    const plain = await runCli(repo, ['plan']);
    expect(plain.stdout).not.toContain('\u001b[');
    const misspelt = await runCli(repo, ['run', '--dryrun']);
    expect(misspelt.code).toBe(2);
    expect(misspelt.stderr).toContain('did you mean --dry-run?');
    expect(misspelt.stderr).not.toMatch(/\n\s+at /);
  });

  it('gives each subcommand examples, with what to run listed before the git options', async () => {
    const repo = makeRepo({ phases: [] as Record<string, unknown>[] });
    const help = (await runCli(repo, ['run', '--help'])).stdout;
    expect(help).toContain('Examples:');
    expect(help).toContain('orchestrate run --phase 1 --dry-run');
    expect(help.indexOf('--phase')).toBeLessThan(help.indexOf('--commit'));
    expect(help.indexOf('--dry-run')).toBeLessThan(help.indexOf('Git and GitHub:'));
    for (const command of ['plan', 'status', 'validate', 'approve', 'skip']) {
      expect((await runCli(repo, [command, '--help'])).stdout, command).toContain('Examples:');
    }
  });
});

describe('templates', () => {
  it('`plan` shows the fields of a manual step filled in', async () => {
    const repo = makeRepo({
      project: { name: 'shop' },
      variables: { branch: 'main' },
      phases: [{ id: 1, name: 'Review', groups: [{ id: 'a', tasks: [{ id: '1.1', type: 'manual', instructions: 'Protect {{branch}} of {{project_name}} ({{repo.scripts}} stays)' }] }] }],
    });
    const result = await runCli(repo, ['plan']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Protect main of shop ({{repo.scripts}} stays)');
  });

  it('writes a GitHub expression inside a template as it stands', async () => {
    const repo = makeRepo(
      {
        templates_dir: 'templates',
        phases: [{ id: 1, name: 'CI', groups: [{ id: 'a', tasks: [{ id: '1.1', type: 'file_generation', template: 'matrix', target: 'ci.yml' }] }] }],
      },
      { 'templates/matrix.yml.hbs': 'name: {{project_name}}\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "node ${{ matrix.node }}"\n' },
    );
    const result = await runCli(repo, ['run', '--all']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const written = fs.readFileSync(path.join(repo.dir, 'ci.yml'), 'utf8');
    expect(written).toContain('name: e2e');
    expect(written).toContain('echo "node ${{ matrix.node }}"');
  });

  it('prints a dry run\'s diffs before the recap, so the recap is what stays on the screen', async () => {
    const lines = Array.from({ length: 80 }, (_, i) => `line ${i}`).join('\n');
    const repo = makeRepo(
      { templates_dir: 'templates', phases: [{ id: 1, name: 'Docs', groups: [{ id: 'a', tasks: [{ id: '1.1', type: 'file_generation', template: 'long', target: 'long.txt' }] }] }] },
      { 'templates/long.txt.hbs': `${lines}\n` },
    );
    const result = await runCli(repo, ['run', '--all', '--dry-run', '--reporter', 'plain']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.indexOf('+++ b/long.txt')).toBeGreaterThan(-1);
    expect(result.stdout.indexOf('+++ b/long.txt')).toBeLessThan(result.stdout.indexOf('Dry run complete'));
    expect(result.stdout.trimEnd().split('\n').at(-1)).toContain('apply it: orchestrate run --all');
  });
});
