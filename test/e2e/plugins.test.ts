/**
 * Handler plugins through the real CLI: a plan names extra task types under
 * `handlers:` and `validate`, `plan`, `schema`, `run --dry-run`, `run` and
 * `status` treat their tasks like built-in ones. A plugin that cannot be used
 * is a located error (file:line:col of its `handlers:` entry) with exit 2.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashTree, jsonEvents, makeRepo, runCli, type Repo } from '../helpers/plans.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const CODEOWNERS_PLUGIN = path.join(repoRoot, 'examples/plugins/codeowners');

/** A repository whose plan is `text` (YAML), with the example plugin installed as an npm package and `files` beside it. */
function repoWithPlan(text: string, files: Record<string, string> = {}): Repo {
  const repo = makeRepo({ phases: [] }, files);
  fs.writeFileSync(repo.planFile, text);
  fs.mkdirSync(path.join(repo.dir, 'node_modules'));
  fs.symlinkSync(CODEOWNERS_PLUGIN, path.join(repo.dir, 'node_modules', 'orchestrate-codeowners'));
  return repo;
}

/** A plugin with no dependencies whose schema is not zod, only zod-like (`safeParse`). */
const UPPER_PLUGIN = `
export default {
  type: 'upper_case',
  summary: 'Upper-case a text file.',
  schema: {
    shape: { file: {} },
    safeParse(input) {
      if (typeof input.file !== 'string') return { success: false, error: { issues: [{ path: ['file'], message: 'file must be a path' }] } };
      return { success: true, data: input };
    },
  },
  describe: (task) => 'upper-case ' + task.file,
  touches: (task) => [task.file],
  async run(task, ctx) {
    const text = (await ctx.workspace.read(task.file)) ?? '';
    if (text === text.toUpperCase()) return { status: 'unchanged', summary: 'already upper case', files: [] };
    await ctx.workspace.write(task.file, text.toUpperCase());
    return { status: 'changed', summary: 'upper-cased ' + task.file, files: [task.file] };
  },
};
`;

const GOOD_PLAN = `version: 1
project: { name: plugins }
handlers:
  - orchestrate-codeowners
  - ./plugins/upper.mjs
phases:
  - id: 1
    name: Ownership
    groups:
      - id: a
        tasks:
          - id: "1.1"
            type: codeowners
            rules:
              - { pattern: /infra/, owners: ["@acme/sre", "@acme/platform"] }
              - { pattern: "*.tf", owners: ["@acme/sre"] }
          - id: "1.2"
            type: upper_case
            file: NOTICE
`;

const STARTING_CODEOWNERS = '# owners\n* @acme/everyone\n*.tf @someone\n';

describe('a plan with plugins', () => {
  it('validates, plans, dry-runs, runs and reports plugin tasks like built-in ones', async () => {
    const repo = repoWithPlan(GOOD_PLAN, { 'plugins/upper.mjs': UPPER_PLUGIN, '.github/CODEOWNERS': STARTING_CODEOWNERS, NOTICE: 'made by acme\n' });

    const valid = await runCli(repo, ['validate']);
    expect(valid.code, valid.stderr).toBe(0);
    expect(valid.stdout).toContain('is valid: 1 phase, 1 group, 2 tasks');

    const plan = await runCli(repo, ['plan']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('set owners of 2 paths in .github/CODEOWNERS');
    expect(plan.stdout).toContain('upper-case NOTICE');

    const schema = await runCli(repo, ['schema']);
    expect(schema.code, schema.stderr).toBe(0);
    const printed = schema.stdout;
    expect(printed).toContain('"const": "codeowners"');
    expect(printed).toContain('"const": "upper_case"');
    // The plugin's own zod field descriptions reach editors.
    expect(printed).toContain('Who reviews changes to the pattern');

    const before = hashTree(repo.dir);
    const dry = await runCli(repo, ['run', '--all', '--dry-run', '--reporter', 'json']);
    expect(dry.code, dry.stderr).toBe(0);
    const diffs = jsonEvents(dry.stdout).filter((e) => e.type === 'task:diff');
    expect(diffs.map((d) => [d.taskId, d.path])).toEqual([
      ['1.1', '.github/CODEOWNERS'],
      ['1.2', 'NOTICE'],
    ]);
    expect(String(diffs[0]?.diff)).toContain('-*.tf @someone\n+*.tf @acme/sre');
    expect(String(diffs[0]?.diff)).toContain('+/infra/ @acme/sre @acme/platform');
    expect(String(diffs[1]?.diff)).toContain('+MADE BY ACME');
    expect(hashTree(repo.dir)).toEqual(before);

    const run = await runCli(repo, ['run', '--all']);
    expect(run.code, run.stderr).toBe(0);
    expect(fs.readFileSync(path.join(repo.dir, '.github/CODEOWNERS'), 'utf8')).toBe('# owners\n* @acme/everyone\n*.tf @acme/sre\n/infra/ @acme/sre @acme/platform\n');
    expect(fs.readFileSync(path.join(repo.dir, 'NOTICE'), 'utf8')).toBe('MADE BY ACME\n');

    const status = await runCli(repo, ['status', '--json', '--verify']);
    expect(status.code, status.stderr).toBe(0);
    const report = JSON.parse(status.stdout) as { phases: Array<{ status: string; groups: Array<{ tasks: Array<{ id: string; status: string; summary: string; files: string[]; drift: { state: string } | null }> }> }> };
    const tasks = report.phases[0]?.groups[0]?.tasks ?? [];
    expect(report.phases[0]?.status).toBe('done');
    expect(tasks.map((t) => [t.id, t.status, t.summary, t.files, t.drift?.state])).toEqual([
      ['1.1', 'done', '.github/CODEOWNERS: 1 added, 1 updated', ['.github/CODEOWNERS'], 'intact'],
      ['1.2', 'done', 'upper-cased NOTICE', ['NOTICE'], 'intact'],
    ]);

    // A person edits the file again: status --verify sees the drift through the plugin.
    fs.writeFileSync(path.join(repo.dir, '.github/CODEOWNERS'), STARTING_CODEOWNERS);
    const drifted = await runCli(repo, ['status', '--verify']);
    expect(drifted.code, drifted.stderr).toBe(0);
    expect(drifted.stdout).toContain('1.1 set owners of 2 paths in .github/CODEOWNERS  done');
    expect(drifted.stdout).toMatch(/drifted: would change \.github\/CODEOWNERS again/);
  });

  it('reports a plugin task field problem located in the plan, from the plugin\'s own schema', async () => {
    const text = GOOD_PLAN.replace('owners: ["@acme/sre"] }', 'owners: ["sre-team"] }').replace('file: NOTICE', 'file: 42');
    const repo = repoWithPlan(text, { 'plugins/upper.mjs': UPPER_PLUGIN });
    const result = await runCli(repo, ['validate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${repo.planFile}:16:45 phases[0].groups[0].tasks[0].rules[1].owners[0]`);
    expect(result.stderr).toContain('error: an owner is @user, @org/team or an email address');
    expect(result.stderr).toContain(`${repo.planFile}:19:19 phases[0].groups[0].tasks[1].file`);
    expect(result.stderr).toContain('error: file must be a path');
    expect(result.stderr).toContain('2 problems');
  });
});

/** A plan naming `entries` under `handlers:` (from line 4 on) and one command task. */
function planNaming(entries: string[]): string {
  return `version: 1
project: { name: bad-plugins }
handlers:
${entries.map((entry) => `  - ${entry}`).join('\n')}
phases:
  - id: 1
    name: One
    groups:
      - id: a
        tasks:
          - { id: "1.1", type: command, run: "true" }
`;
}

const BAD_PLUGINS: Array<{ name: string; file?: [string, string]; entry: string; message: RegExp; hint: RegExp }> = [
  { name: 'a missing file', entry: './plugins/nope.js', message: /no plugin file at .*plugins\/nope\.js/, hint: /relative to the plan file/ },
  { name: 'a package that is not installed', entry: 'orchestrate-not-installed', message: /cannot find the plugin package "orchestrate-not-installed" from /, hint: /npm install orchestrate-not-installed/ },
  { name: 'a module that throws on import', file: ['plugins/throws.mjs', "throw new Error('cannot reach the licence server');\n"], entry: './plugins/throws.mjs', message: /the plugin \.\/plugins\/throws\.mjs failed to load: cannot reach the licence server/, hint: /node .*throws\.mjs/ },
  { name: 'a module with a syntax error', file: ['plugins/broken.mjs', 'export default {\n'], entry: './plugins/broken.mjs', message: /failed to load: .*Unexpected end of input/, hint: /a plugin must be JavaScript/ },
  { name: 'no default export', file: ['plugins/named.mjs', "export const handler = { type: 'x' };\n"], entry: './plugins/named.mjs', message: /has no default export \(it exports handler\)/, hint: /export default \{ type, summary, schema, describe, run \}/ },
  {
    name: 'the wrong shape',
    file: ['plugins/shapeless.mjs', "export default { type: 'License-Header', summary: '', schema: {}, describe: 'text' };\n"],
    entry: './plugins/shapeless.mjs',
    message: /does not export a valid handler: `type` "License-Header" must be lower case .*; `summary` must be a non-empty string .*; `schema` has no safeParse method.*; `describe` must be a function, found the string "text"; `run` must be a function, found nothing/,
    hint: /docs\/plugins\.md/,
  },
  { name: 'a clash with a built-in type', file: ['plugins/command.mjs', handlerModule('command')], entry: './plugins/command.mjs', message: /defines task type "command": "command" is a built-in task type/, hint: /another `type`/ },
  { name: 'an empty list of handlers', file: ['plugins/empty.mjs', 'export default [];\n'], entry: './plugins/empty.mjs', message: /exports an empty list of handlers/, hint: /at least one/ },
];

function handlerModule(type: string): string {
  return `export default { type: '${type}', summary: 'x', schema: { safeParse: (v) => ({ success: true, data: v }) }, describe: () => 'x', run: async () => ({ status: 'unchanged', summary: 'x', files: [] }) };\n`;
}

describe('a plugin that cannot be used', () => {
  for (const bad of BAD_PLUGINS) {
    it(`is a located error with exit 2: ${bad.name}`, async () => {
      const repo = repoWithPlan(planNaming(['orchestrate-codeowners', bad.entry]), bad.file ? { [bad.file[0]]: bad.file[1] } : {});
      for (const command of [['validate'], ['plan'], ['run', '--all', '--dry-run']]) {
        const result = await runCli(repo, command);
        expect(result.code, `${command.join(' ')}: ${result.stderr}`).toBe(2);
        expect(result.stderr).toContain(`${repo.planFile}:5:5 handlers[1]`);
        expect(result.stderr).toMatch(bad.message);
        expect(result.stderr).toMatch(new RegExp(`hint: .*${bad.hint.source}`));
        expect(result.stderr).not.toMatch(/\n\s+at /);
        expect(result.stdout).toBe('');
      }
    });
  }

  it('names both plugins when two define the same task type, and refuses a handlers: that is not a list', async () => {
    const twice = repoWithPlan(planNaming(['./plugins/one.mjs', './plugins/two.mjs']), { 'plugins/one.mjs': handlerModule('notify'), 'plugins/two.mjs': handlerModule('notify') });
    const clash = await runCli(twice, ['validate']);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain(`${twice.planFile}:5:5 handlers[1]`);
    expect(clash.stderr).toContain('the plugin ./plugins/two.mjs defines task type "notify": "notify" is already defined by the plugin ./plugins/one.mjs');

    const notAList = repoWithPlan(planNaming(['x']).replace('handlers:\n  - x', 'handlers: ./plugins/one.mjs'));
    const result = await runCli(notAList, ['validate', '--format', 'json']);
    expect(result.code).toBe(2);
    const json = JSON.parse(result.stdout) as { valid: boolean; diagnostics: Array<{ line: number; column: number; path: string; message: string }> };
    expect(json.valid).toBe(false);
    expect(json.diagnostics).toEqual([expect.objectContaining({ line: 3, column: 11, path: 'handlers', message: '`handlers` must be a list of plugin modules, found the string "./plugins/one.mjs"' })]);
  });
});
