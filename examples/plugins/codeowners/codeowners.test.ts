/**
 * The codeowners plugin's own tests, as its authors would write them: the
 * rule merging on its own, and the task type through orchestrate's
 * programmatic API (validate, dry run, run, a second run) in a temp repository.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run, validatePlan, type RunEvent } from '../../../entry/index.js';
import codeowners, { applyRules } from './index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function repo(plan: string, files: Record<string, string> = {}): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'codeowners-plugin-')));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'phases.yaml'), plan);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const PLAN = `version: 1
phases:
  - id: 1
    name: Ownership
    groups:
      - id: a
        tasks:
          - id: "1.1"
            type: codeowners
            file: CODEOWNERS
            rules:
              - { pattern: "*.tf", owners: ["@acme/sre"] }
              - { pattern: /docs/, owners: ["docs@acme.example"] }
`;

describe('applyRules', () => {
  it('replaces the owners of a pattern in place, appends new patterns, and leaves comments and other rules alone', () => {
    const before = '# Platform\n* @acme/everyone\n*.tf @someone   # infra\n';
    const { text, added, updated } = applyRules(before, [
      { pattern: '*.tf', owners: ['@acme/sre'] },
      { pattern: '/docs/', owners: ['@acme/writers'] },
    ]);
    expect(text).toBe('# Platform\n* @acme/everyone\n*.tf @acme/sre\n/docs/ @acme/writers\n');
    expect([added, updated]).toEqual([1, 1]);
    expect(applyRules(text, [{ pattern: '*.tf', owners: ['@acme/sre'] }])).toEqual({ text, added: 0, updated: 0 });
  });

  it('starts a file that does not exist yet', () => {
    expect(applyRules('', [{ pattern: '*', owners: ['@acme/all'] }]).text).toBe('* @acme/all\n');
  });
});

describe('the codeowners task type', () => {
  it('is checked by validate with located errors from its schema', async () => {
    const dir = repo(PLAN.replace('["@acme/sre"]', '["sre"]').replace('/docs/, owners', '"/my docs/", owners'));
    const result = await validatePlan({ config: 'phases.yaml', base: dir, handlers: [codeowners] });
    expect(result.valid).toBe(false);
    expect(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.path}: ${d.message}`)).toEqual([
      '12:45 phases[0].groups[0].tasks[0].rules[0].owners[0]: an owner is @user, @org/team or an email address',
      '13:28 phases[0].groups[0].tasks[0].rules[1].pattern: a CODEOWNERS pattern has no spaces; escape them as "\\ "',
    ]);
  });

  it('shows its change in a dry run, writes it in a run, and changes nothing the second time', async () => {
    const dir = repo(PLAN, { CODEOWNERS: '*.tf @someone\n' });
    const options = { config: 'phases.yaml', base: dir, handlers: [codeowners], all: true };

    const diffs: RunEvent[] = [];
    const dry = await run({ ...options, dryRun: true, onEvent: (event) => event.type === 'task:diff' && diffs.push(event) }).result;
    expect(dry.status).toBe('done');
    expect(diffs).toEqual([expect.objectContaining({ taskId: '1.1', path: 'CODEOWNERS', diff: expect.stringContaining('-*.tf @someone\n+*.tf @acme/sre\n+/docs/ docs@acme.example') })]);
    expect(fs.readFileSync(path.join(dir, 'CODEOWNERS'), 'utf8')).toBe('*.tf @someone\n');

    const finishes: string[] = [];
    for await (const event of run(options)) if (event.type === 'task:finish') finishes.push(`${event.status}: ${event.summary}`);
    expect(finishes).toEqual(['changed: CODEOWNERS: 1 added, 1 updated']);
    expect(fs.readFileSync(path.join(dir, 'CODEOWNERS'), 'utf8')).toBe('*.tf @acme/sre\n/docs/ docs@acme.example\n');

    const again = run({ ...options, force: true });
    const summaries: string[] = [];
    for await (const event of again) if (event.type === 'task:finish') summaries.push(`${event.status}: ${event.summary}`);
    expect(summaries).toEqual(['unchanged: CODEOWNERS already has the 2 rules']);
    expect((await again.result).exitCode).toBe(0);
  });
});
