/**
 * A plan loaded once through the API and handed to `run` and then to
 * `status` (as the fleet and embedding programs do) must give the status a
 * freshly loaded plan gives: folding the handlers' inputs (a template's text)
 * into the task fingerprints twice must not make done tasks look outdated.
 * Real files in a temp dir, the real built-in handlers and state.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { world } from '../../entry/world.js';
import { loadPlan } from '../../src/api/load.js';
import { run } from '../../src/api/run.js';
import { status } from '../../src/api/status.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-loaded-twice-'));
  fs.mkdirSync(path.join(dir, 'templates'));
  fs.writeFileSync(path.join(dir, 'templates', 'notice.txt.hbs'), 'Owned by {{project_name}}\n');
  fs.writeFileSync(
    path.join(dir, 'phases.yaml'),
    [
      'version: 1',
      'project: { name: shop }',
      'templates_dir: templates',
      'phases:',
      '  - id: 1',
      '    name: Docs',
      '    groups:',
      '      - id: a',
      '        tasks:',
      '          - { id: "1.1", type: file_generation, template: notice, target: NOTICE.txt }',
      '',
    ].join('\n'),
  );
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const taskStatus = (report: Awaited<ReturnType<typeof status>>) => report.phases[0]!.groups[0]!.tasks[0]!.status;

describe('a plan loaded once', () => {
  it('shows its tasks done after run, in status, the same as a plan loaded again', async () => {
    const options = { config: 'phases.yaml', base: dir };
    const loaded = await loadPlan(world, options);
    const result = await run(world, { ...options, loaded, all: true, iterable: false }).result;
    expect(result.exitCode).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'NOTICE.txt'), 'utf8')).toBe('Owned by shop\n');

    expect(taskStatus(await status(world, { loaded }))).toBe('done');
    expect(taskStatus(await status(world, { loaded }))).toBe('done');
    expect(taskStatus(await status(world, options))).toBe('done');
  });

  it('still sees a template edited after the run, on the same loaded plan', async () => {
    const options = { config: 'phases.yaml', base: dir };
    const loaded = await loadPlan(world, options);
    expect((await run(world, { ...options, loaded, all: true, iterable: false }).result).exitCode).toBe(0);
    fs.writeFileSync(path.join(dir, 'templates', 'notice.txt.hbs'), 'Kept by {{project_name}}\n');
    expect(taskStatus(await status(world, { loaded }))).toBe('outdated');
    expect(taskStatus(await status(world, options))).toBe('outdated');
  });
});
