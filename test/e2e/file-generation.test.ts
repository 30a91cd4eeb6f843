/**
 * A `file_generation` task through the real CLI: a dry run shows the file as a
 * diff and writes nothing, a real run writes it formatted, a second run finds
 * it done, and `orchestrate templates` lists the plan's template. Run after
 * `npm run build`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as runBuiltCli } from '../helpers/cli.js';
import { hashTree, makeRepo, type Repo } from '../helpers/plans.js';

/**
 * The built bin/orchestrate.js (run `npm run build` first), not the helper's
 * temp-dir bundle: prettier stays external and must resolve from node_modules.
 */
function runCli(repo: Repo, args: string[]) {
  return runBuiltCli([...args, '--config', repo.planFile, '--cwd', repo.dir], { cwd: repo.dir, env: { CI: 'true' } });
}

const plan = {
  templates_dir: 'plan-templates',
  variables: { model: 'user-account' },
  phases: [
    {
      id: '1',
      name: 'fixtures',
      groups: [{ id: 'a', tasks: [{ id: '1.1', type: 'file_generation', template: 'fixtures/users', target: 'test/fixtures/users.ts' }] }],
    },
  ],
};

describe('file_generation end to end', () => {
  it('dry-runs as a diff, writes on a real run, is done on the next, and is listed by `templates`', async () => {
    const repo = makeRepo(plan, {
      'plan-templates/fixtures/users.ts.hbs': "export const {{camelCase model}} = { project: '{{project_name}}', limit: {{default limit 10}} }\n",
      'package.json': '{ "name": "target" }\n',
      '.prettierrc': '{ "singleQuote": true }\n',
    });
    const target = path.join(repo.dir, 'test/fixtures/users.ts');
    const before = hashTree(repo.dir);

    const dry = await runCli(repo, ['run', '--all', '--dry-run']);
    expect(dry.code, dry.stderr + dry.stdout).toBe(0);
    expect(dry.stdout).toMatch(/\+\+\+ .*test\/fixtures\/users\.ts/);
    expect(dry.stdout).toContain("+export const userAccount = { project: 'e2e', limit: 10 };");
    expect(hashTree(repo.dir)).toEqual(before);

    const real = await runCli(repo, ['run', '--all']);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toMatch(/rendered fixtures\/users to test\/fixtures\/users\.ts/);
    expect(fs.readFileSync(target, 'utf8')).toBe("export const userAccount = { project: 'e2e', limit: 10 };\n");

    const again = await runCli(repo, ['run', '--all']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/done earlier/);

    const listed = await runCli(repo, ['templates', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const { templates } = JSON.parse(listed.stdout) as { templates: Array<Record<string, unknown>> };
    expect(templates.find((t) => t['name'] === 'fixtures/users')).toMatchObject({
      origin: 'plan',
      ext: 'ts',
      file: path.join(repo.dir, 'plan-templates/fixtures/users.ts.hbs'),
      variables: ['model'],
      optional: ['limit'],
      needs: [
        { name: 'model', optional: false, definedIn: ['plan'] },
        { name: 'limit', optional: true, definedIn: [] },
      ],
    });

    const text = await runCli(repo, ['templates']);
    expect(text.stdout).toMatch(/fixtures\/users {2}\(plan\) plan-templates\/fixtures\/users\.ts\.hbs\n {2}model: defined in plan\n {2}limit: optional \(has a default\)/);
  });

  it('fails the task, writing nothing, when the template uses a variable nobody defined', async () => {
    const repo = makeRepo(
      { ...plan, variables: {} },
      { 'plan-templates/fixtures/users.ts.hbs': 'export const n = {{count}};\n' },
    );
    const result = await runCli(repo, ['run', '--all']);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toMatch(/template fixtures\/users: line 1, column 20: "count" is not defined/);
    expect(fs.existsSync(path.join(repo.dir, 'test/fixtures/users.ts'))).toBe(false);
  });

  it('runs a done task again when its template changes, and status says so first', async () => {
    const overwrite = structuredClone(plan);
    overwrite.phases[0]!.groups[0]!.tasks[0] = { ...overwrite.phases[0]!.groups[0]!.tasks[0]!, mode: 'overwrite' } as never;
    const repo = makeRepo(overwrite, {
      'plan-templates/fixtures/users.ts.hbs': "export const version = 'one';\n",
      'package.json': '{ "name": "target" }\n',
    });
    const target = path.join(repo.dir, 'test/fixtures/users.ts');
    expect((await runCli(repo, ['run', '--all'])).code).toBe(0);
    expect(fs.readFileSync(target, 'utf8')).toBe('export const version = "one";\n');

    const taskStatus = async () => {
      const report = JSON.parse((await runCli(repo, ['status', '--json'])).stdout) as {
        phases: Array<{ groups: Array<{ tasks: Array<{ id: string; status: string }> }> }>;
      };
      return report.phases[0]!.groups[0]!.tasks[0]!.status;
    };
    expect(await taskStatus()).toBe('done');
    fs.writeFileSync(path.join(repo.dir, 'plan-templates/fixtures/users.ts.hbs'), "export const version = 'two';\n");
    expect(await taskStatus()).toBe('outdated');

    const rerun = await runCli(repo, ['run', '--all']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).not.toMatch(/done earlier/);
    expect(fs.readFileSync(target, 'utf8')).toBe('export const version = "two";\n');
  });
});
