/**
 * A plan taken from the cache is shown (`plan`), checked (`validate`) and
 * reported on (`status`) without loading zod or any handler's schema, and
 * `status` without the code that writes the state: the probe
 * (bench/probe-loaded.mjs) records the bundle chunks the real CLI imports,
 * and their source maps name the packages and source files in them. A miss
 * still loads the schemas and reports a plan's problems in full. Build first
 * (`npm run build`).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, repoRoot } from '../helpers/cli.js';

// Every built-in task type, so that each handler's describe, touches and inputs run on the hit.
const PLAN = `version: 1
project: { name: light-hit }
phases:
  - id: 1
    name: Setup
    groups:
      - id: a
        tasks:
          - { id: "1.1", name: say hello, type: command, run: ["echo", "hello"] }
          - { id: "1.2", name: protect, type: manual, instructions: "Turn on branch protection." }
          - { id: "1.3", name: pin, type: config_edit, file: .github/workflows/ci.yml, action: pin_actions }
          - { id: "1.4", name: notes, type: file_generation, template: notes.md.hbs, target: NOTES.md }
          - { id: "1.5", name: tests, type: test_generation, target: src/sum.ts, test_file: src/sum.test.ts }
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
          - { id: "1.2", type: config_edit, file: x.yml, action: nope }
          - { id: "1.3", type: manual, instructions: 3 }
          - { id: "1.4", type: nosuch }
`;

let dir = '';
beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-light-hit-')));
  fs.writeFileSync(path.join(dir, 'phases.yaml'), PLAN);
  fs.writeFileSync(path.join(dir, 'broken.yaml'), BROKEN);
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Loaded {
  code: number | null;
  stdout: string;
  stderr: string;
  /** npm packages whose code the CLI loaded. */
  packages: string[];
  /** This repository's source files whose code the CLI loaded (`handlers/command/parts.ts`). */
  sources: string[];
}

let probes = 0;

/** Run the CLI under the probe, with the plan cache in the test's directory. */
function loaded(argv: string[], env: Record<string, string> = {}): Loaded {
  const probe = path.join(dir, `probe-${++probes}.txt`);
  const { FORCE_COLOR: _forced, ...inherited } = process.env;
  const result = spawnSync(process.execPath, ['--import', path.join(repoRoot, 'bench', 'probe-loaded.mjs'), cliPath, ...argv], {
    cwd: dir,
    env: { ...inherited, NO_COLOR: '1', ORCHESTRATE_CACHE_DIR: path.join(dir, 'cache'), ORCHESTRATE_BENCH_PROBE: probe, ...env },
    encoding: 'utf8',
  });
  const packages = new Set<string>();
  const sources = new Set<string>();
  for (const line of fs.readFileSync(probe, 'utf8').trim().split('\n')) {
    const url = line.split('\t')[1] ?? '';
    if (!url.startsWith('file://') || !url.includes('/dist/')) continue;
    const map = `${fileURLToPath(url)}.map`;
    if (!fs.existsSync(map)) continue;
    for (const source of (JSON.parse(fs.readFileSync(map, 'utf8')) as { sources: string[] }).sources) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source)?.[1];
      if (name) packages.add(name);
      else sources.add(path.relative(repoRoot, path.resolve(path.dirname(map), source)));
    }
  }
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, packages: [...packages], sources: [...sources] };
}

const schemaSources = (run: Loaded) => run.sources.filter((source) => /^handlers\/[^/]+\/schema\.ts$|^src\/config\/(schema|plan-schema|duration-schema)\.ts$/.test(source));

describe('a plan taken from the cache', () => {
  it('is validated, shown and reported on without zod or any handler schema', () => {
    // The miss parses and checks the plan: zod and every handler's schema load (the probe's control).
    const miss = loaded(['validate']);
    expect(miss.code, miss.stderr).toBe(0);
    expect(miss.packages).toContain('zod');
    expect(schemaSources(miss)).toEqual(expect.arrayContaining(['handlers/command/schema.ts', 'handlers/config-edit/schema.ts', 'handlers/test-generation/schema.ts']));

    for (const argv of [['validate'], ['plan'], ['plan', '--format', 'json'], ['status'], ['status', '--json']]) {
      const hit = loaded(argv, { ORCHESTRATE_DEBUG: 'cache' });
      expect(hit.code, `${argv.join(' ')}: ${hit.stderr}`).toBe(0);
      expect(hit.stderr, argv.join(' ')).toContain(`plan cache: hit for ${path.join(dir, 'phases.yaml')}`);
      expect(hit.packages, argv.join(' ')).not.toContain('zod');
      expect(schemaSources(hit), argv.join(' ')).toEqual([]);
      // What a hit does use: each handler's parts (describe, touches, inputs).
      expect(hit.sources, argv.join(' ')).toContain('handlers/test-generation/parts.ts');
    }
    const plan = loaded(['plan']);
    expect(plan.stdout).toContain('1.3 config_edit  pin: pin actions in .github/workflows/ci.yml');
    expect(plan.stdout).toContain('1.5 test_generation  tests: generate auto tests for src/sum.ts -> src/sum.test.ts');
    const status = loaded(['status']);
    expect(status.stdout).toContain('5 tasks pending');
    expect(status.packages).not.toContain('write-file-atomic');
    expect(status.packages).not.toContain('signal-exit');
  });

  it('still has status check a state.json there is, and say when it is damaged', () => {
    loaded(['validate']);
    fs.mkdirSync(path.join(dir, '.orchestrate'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.orchestrate', 'state.json'), '{"version":1}\n');
    try {
      const status = loaded(['status']);
      expect(status.code, status.stderr).toBe(0);
      expect(status.stderr).toContain('.orchestrate/state.json is damaged (planHash: Invalid input: expected string, received undefined); rebuilt it from the run logs.');
      expect(status.packages).toContain('zod');
      expect(status.packages).not.toContain('write-file-atomic');
      // Read only: the damaged file is left as it was.
      expect(fs.readFileSync(path.join(dir, '.orchestrate', 'state.json'), 'utf8')).toBe('{"version":1}\n');
    } finally {
      fs.rmSync(path.join(dir, '.orchestrate'), { recursive: true, force: true });
    }
  });
});

describe('a plan with problems', () => {
  it('is checked against every handler schema and reports each problem where it is', () => {
    for (const env of [{}, { ORCHESTRATE_NO_CACHE: '1' }] as Record<string, string>[]) {
      const run = loaded(['validate', '--config', 'broken.yaml'], env);
      expect(run.code).toBe(2);
      expect(run.packages).toContain('zod');
      expect(run.stdout + run.stderr).toContain('broken.yaml:9:13 phases[0].groups[0].tasks[0].run\n  error: missing required field "run"');
      expect(run.stdout + run.stderr).toContain('broken.yaml:10:66 phases[0].groups[0].tasks[1].action\n  error: "nope" is not one of the allowed values');
      expect(run.stdout + run.stderr).toContain('broken.yaml:11:54 phases[0].groups[0].tasks[2].instructions\n  error: expected a string, found number 3');
      expect(run.stdout + run.stderr).toContain('broken.yaml:12:32 phases[0].groups[0].tasks[3].type\n  error: unknown task type "nosuch"');
      expect(run.stdout + run.stderr).toContain('hint: known types: config_edit, test_generation, file_generation, manual, command');
      expect(run.stdout + run.stderr).toContain('4 problems in broken.yaml');
    }
  });
});
