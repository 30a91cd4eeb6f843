/**
 * The roadmap's own workflow edits (every `config_edit` task of
 * config/phases.yaml on a .yml file, with exactly its params, in plan order)
 * on the demo repository's workflows: each changes its file, changes nothing
 * when applied again, and leaves a workflow @action-validator/core accepts;
 * then the same tasks as a plan run by the built CLI, twice.
 */
import fs from 'node:fs';
import path from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { actionFor } from '../../handlers/config-edit/actions/index.js';
import { editText } from '../../handlers/config-edit/edit.js';
import { jsonEvents, makeRepo, runCli } from '../helpers/plans.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DEMO = path.join(ROOT, 'examples/demo-monorepo');

interface Task {
  id: string;
  type: string;
  action?: string;
  file?: string;
  params?: Record<string, unknown>;
}

const roadmap = parse(fs.readFileSync(path.join(ROOT, 'config/phases.yaml'), 'utf8')) as { phases: { groups: { tasks: Task[] }[] }[] };
const tasks = roadmap.phases
  .flatMap((phase) => phase.groups.flatMap((group) => group.tasks))
  .filter((task) => task.type === 'config_edit' && /\.ya?ml$/.test(task.file ?? ''));

describe("the roadmap's workflow edits on the demo repository", () => {
  const files = new Map<string, string>();
  const text = (file: string) => files.get(file) ?? fs.readFileSync(path.join(DEMO, file), 'utf8');

  it('covers the workflow actions of the roadmap', () => {
    expect(tasks.map((t) => t.action)).toEqual(
      expect.arrayContaining(['remove_continue_on_error', 'implement_staging_deploy', 'add_path_filters', 'make_trivy_blocking', 'yaml_merge', 'yaml_set']),
    );
  });

  it.each(tasks)('$id $action on $file', async (task) => {
    const action = actionFor(task.action!)!;
    const before = text(task.file!);
    const outcome = await editText(task.file!, before, action, task.params);
    // implement_production_deploy already put the job in its environment, which is all the gate needs.
    if (task.action === 'add_approval_gates') {
      expect(outcome.kind).toBe('unchanged');
      expect(parse(before).jobs['deploy-production'].environment.name).toBe('production');
      return;
    }
    expect(outcome.kind).toBe('changed');
    if (outcome.kind !== 'changed') return;
    expect(validateWorkflow(outcome.text).errors).toEqual([]);
    expect((await editText(task.file!, outcome.text, action, task.params)).kind).toBe('unchanged');
    files.set(task.file!, outcome.text);
  });

  it('ends with workflows that fix what the demo had wrong', () => {
    const ci = parse(text('.github/workflows/ci.yml'));
    expect(JSON.stringify([ci.jobs.lint, ci.jobs.test])).not.toContain('continue-on-error');
    expect(ci.jobs.python.strategy.matrix['python-version']).toEqual(['3.10', '3.11', '3.12']);
    expect(ci.jobs.changes.steps[1].uses).toMatch(/^dorny\/paths-filter@/);
    const deploy = parse(text('.github/workflows/deploy.yml'));
    expect(JSON.stringify(deploy)).not.toContain('TODO: deploy');
    expect(deploy.jobs['deploy-production'].environment).toEqual({ name: 'production', url: 'https://demo.example.com' });
    expect(deploy.concurrency).toEqual({ group: 'deploy', 'cancel-in-progress': false });
    const security = parse(text('.github/workflows/security.yml'));
    expect(security.jobs.trivy.steps[1].with['exit-code']).toBe('1');
    expect(Object.keys(security.jobs)).toEqual(['trivy', 'container-scan', 'sbom']);
  });
});

describe('the same tasks run by the CLI on a copy of the demo workflows', () => {
  const names = [...new Set(tasks.map((t) => t.file!))];
  const plan = {
    phases: [
      {
        id: '1',
        name: 'Workflows',
        groups: [{ id: 'a', execution: 'sequential', tasks: tasks.map(({ id, type, action, file, params }) => ({ id, type, action, file, params })) }],
      },
    ],
  };

  it('changes each workflow as planned, then reports every task unchanged when forced again', async () => {
    const repo = makeRepo(plan, Object.fromEntries(names.map((name) => [name, fs.readFileSync(path.join(DEMO, name), 'utf8')])));
    const first = await runCli(repo, ['run', '--all', '--reporter', 'json'], { timeoutMs: 240_000 });
    expect(first.code, first.stderr + first.stdout).toBe(0);
    const statuses = Object.fromEntries(jsonEvents(first.stdout).filter((e) => e.type === 'task:finish').map((e) => [e.taskId, e.status]));
    expect(statuses).toEqual(Object.fromEntries(tasks.map((t) => [t.id, t.action === 'add_approval_gates' ? 'unchanged' : 'changed'])));
    const security = parse(fs.readFileSync(path.join(repo.dir, '.github/workflows/security.yml'), 'utf8'));
    expect(Object.keys(security.jobs)).toEqual(['trivy', 'container-scan', 'sbom']);
    for (const name of names) expect(validateWorkflow(fs.readFileSync(path.join(repo.dir, name), 'utf8')).errors, name).toEqual([]);

    const again = await runCli(repo, ['run', '--all', '--force', '--reporter', 'json'], { timeoutMs: 240_000 });
    expect(again.code, again.stderr).toBe(0);
    const second = jsonEvents(again.stdout).filter((e) => e.type === 'task:finish');
    expect(new Set(second.map((e) => e.status))).toEqual(new Set(['unchanged']));
  });
});
