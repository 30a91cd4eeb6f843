/**
 * `validate`, `plan` and `schema` as a user runs them: the built CLI in a
 * child process, against the shipped roadmap (config/phases.yaml: 6 phases,
 * 14 groups, 61 tasks; phase 4 runs alongside phases 2 and 3).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli, type CliResult } from '../helpers/cli.js';

const execFileAsync = promisify(execFile);
const ANSI = /\u001b\[/;
const STACK = /^\s+at |node:internal/m;

function expectUsageError(result: CliResult): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).not.toMatch(STACK);
  expect(result.stderr).not.toMatch(/internal error/);
}

interface PlanJson {
  format_version: number;
  project: { name: string; root: string };
  source: { file: string; sha256: string };
  settings: { max_parallel: number; fail_fast: boolean };
  totals: { phases: number; groups: number; tasks: number };
  waves: { wave: number; phases: string[] }[];
  phases: {
    id: string;
    name: string;
    wave: number;
    depends_on: string[];
    dependents: string[];
    parallel_with: string[];
    max_parallel: number;
    expected_coverage: Record<string, number> | null;
    groups: {
      id: string;
      key: string;
      execution: 'sequential' | 'parallel';
      max_parallel: number;
      wave: number;
      depends_on: string[];
      tasks: {
        id: string;
        name: string;
        type: string;
        description: string;
        touches: string[];
        fingerprint: string;
        settings: {
          retries: number;
          max_attempts: number;
          timeout_ms: number;
          continue_on_error: boolean;
          backoff: { initial_ms: number; factor: number; max_ms: number; jitter: boolean };
        };
      }[];
    }[];
    checkpoints: { name: string; kind: string; timeout_ms: number }[];
  }[];
}

describe('orchestrate validate', () => {
  it('accepts the roadmap and says how big it is', async () => {
    const result = await runCli(['validate', '--config', 'config/phases.yaml']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('✓ config/phases.yaml is valid: 6 phases, 14 groups, 61 tasks in 5 waves\n');
  });

  it('finds config/phases.yaml without --config', async () => {
    const result = await runCli(['validate']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('config/phases.yaml is valid: 6 phases, 14 groups, 61 tasks');
  });

  it('--format json prints parseable JSON, for a valid plan and for a broken one', async () => {
    const ok = await runCli(['validate', '--format', 'json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ valid: true, diagnostics: [] });

    const file = 'test/fixtures/malformed/cycle-len-2.yaml';
    const bad = await runCli(['validate', '--format', 'json', '--config', file]);
    expect(bad.code).toBe(2);
    const report = JSON.parse(bad.stdout) as { valid: boolean; diagnostics: Record<string, unknown>[] };
    expect(report.valid).toBe(false);
    expect(report.diagnostics).toEqual([
      expect.objectContaining({ file, line: 19, column: 18, path: 'phases[2].depends_on[0]', message: 'dependency cycle: phase 2 -> phase 3 -> phase 2' }),
    ]);
  });

  it('a missing --config file is a usage error with a hint, not a crash', async () => {
    const result = await runCli(['validate', '--config', 'no/such/phases.yaml']);
    expectUsageError(result);
    expect(result.stderr).toContain('error: no plan file at no/such/phases.yaml');
    expect(result.stderr).toContain('hint: pass --config PATH');
  });

  it('reads a plan piped in through --config /dev/stdin (read once, not twice)', async () => {
    // A shell pipe, as a user makes it (node's own stdin "pipe" is a socket, which cannot be opened by path).
    const { stdout, stderr } = await execFileAsync(
      'sh',
      ['-c', `cat config/phases.yaml | "${process.execPath}" bin/orchestrate.js validate --config /dev/stdin`],
      { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(stderr).toBe('');
    expect(stdout).toBe('✓ /dev/stdin is valid: 6 phases, 14 groups, 61 tasks in 5 waves\n');
  });

  it('a plan path that cannot be read (a socket) is a usage error, not an internal error', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'orchestrate-socket-'));
    const socket = path.join(dir, 'phases.yaml');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      const result = await runCli(['validate', '--config', socket]);
      expectUsageError(result);
      expect(result.stderr).toContain(`error: cannot read the plan file ${socket}`);
      expect(result.stderr).toContain('hint: ');
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a directory without any plan says where it looked', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'orchestrate-noplan-'));
    try {
      const result = await runCli(['validate'], { cwd: dir });
      expectUsageError(result);
      expect(result.stderr).toContain('no plan found: looked for config/phases.yaml and phases.yaml');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('orchestrate plan', () => {
  it('shows the waves as a tree, with phase 4 running alongside phase 2', async () => {
    const result = await runCli(['plan']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^demo-monorepo: 6 phases, 14 groups, 61 tasks/);
    const waveAt = (n: number) => lines.findIndex((l) => l.startsWith(`Wave ${n}`));
    const phaseAt = (id: string) => lines.findIndex((l) => new RegExp(`^[└├]─ Phase ${id} `).test(l));
    expect([1, 2, 3, 4, 5].map(waveAt).every((i, k, all) => i > 0 && (k === 0 || i > all[k - 1]!))).toBe(true);
    expect(lines[waveAt(2)]).toContain('phases 2, 4 may run at the same time');
    // Each phase sits under its wave.
    const inWave = { '1': 1, '2': 2, '4': 2, '3': 3, '5': 4, '6': 5 } as const;
    for (const [id, wave] of Object.entries(inWave)) {
      const at = phaseAt(id);
      expect(at, `phase ${id}`).toBeGreaterThan(waveAt(wave));
      if (wave < 5) expect(at, `phase ${id}`).toBeLessThan(waveAt(wave + 1));
    }
    expect(lines[phaseAt('4')]).toContain('parallel with 2, 3');
  });

  it('--format json is only JSON, with the documented fields', async () => {
    const result = await runCli(['plan', '--format', 'json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const plan = JSON.parse(result.stdout) as PlanJson;
    expect(plan.format_version).toBe(1);
    expect(plan.project.name).toBe('demo-monorepo');
    expect(plan.source.file).toBe('config/phases.yaml');
    expect(plan.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.settings).toEqual({ max_parallel: 4, fail_fast: false });
    expect(plan.totals).toEqual({ phases: 6, groups: 14, tasks: 61 });
    expect(plan.waves).toEqual([
      { wave: 1, phases: ['1'] },
      { wave: 2, phases: ['2', '4'] },
      { wave: 3, phases: ['3'] },
      { wave: 4, phases: ['5'] },
      { wave: 5, phases: ['6'] },
    ]);
    const groups = plan.phases.flatMap((p) => p.groups);
    const tasks = groups.flatMap((g) => g.tasks);
    expect(groups).toHaveLength(14);
    expect(tasks).toHaveLength(61);
    for (const phase of plan.phases) {
      expect(typeof phase.id).toBe('string');
      expect(plan.waves[phase.wave - 1]?.phases).toContain(phase.id);
      for (const dep of phase.depends_on) expect(plan.phases.find((p) => p.id === dep)!.wave).toBeLessThan(phase.wave);
    }
    for (const group of groups) {
      expect(group.key).toMatch(/^[^/]+\/[^/]+$/);
      if (group.execution === 'sequential') expect(group.max_parallel).toBe(1);
    }
    for (const task of tasks) {
      expect(Object.keys(task).sort()).toEqual(['description', 'fingerprint', 'id', 'name', 'settings', 'touches', 'type']);
      expect(task.settings.max_attempts).toBe(task.settings.retries + 1);
      expect(Object.keys(task.settings.backoff).sort()).toEqual(['factor', 'initial_ms', 'jitter', 'max_ms']);
    }
    // The roadmap's defaults reach every task that does not override them.
    expect(tasks.find((t) => t.id === '1.1')!.settings).toEqual({
      retries: 2,
      max_attempts: 3,
      timeout_ms: 600_000,
      continue_on_error: false,
      backoff: { initial_ms: 1000, factor: 2, max_ms: 30_000, jitter: true },
    });
  });

  it('--format mermaid is a flowchart with a subgraph per phase and an edge per phase dependency', async () => {
    const [mermaid, json] = await Promise.all([runCli(['plan', '--format', 'mermaid']), runCli(['plan', '--format', 'json'])]);
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout.startsWith('flowchart')).toBe(true);
    const plan = JSON.parse(json.stdout) as PlanJson;
    const subgraphs = [...mermaid.stdout.matchAll(/^ {2}subgraph P_(\S+)\["Phase ([^:]+): /gm)].map((m) => m[2]);
    expect(subgraphs).toEqual(plan.phases.map((p) => p.id));
    const edges = [...mermaid.stdout.matchAll(/^ {2}P_(\S+) --> P_(\S+)$/gm)].map((m) => `${m[1]}->${m[2]}`).sort();
    const expected = plan.phases.flatMap((p) => p.depends_on.map((dep) => `${dep}->${p.id}`)).sort();
    expect(edges).toEqual(expected);
    expect(edges).toContain('1->4');
  });

  it('--phase 4 shows phase 4 only', async () => {
    const result = await runCli(['plan', '--phase', '4']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^demo-monorepo: 1 phase, 3 groups, 14 tasks/);
    const phases = [...result.stdout.matchAll(/Phase (\S+) /g)].map((m) => m[1]);
    expect(phases).toEqual(['4']);
    expect(result.stdout).toContain('4.1 config_edit');
    expect(result.stdout).not.toContain('2.1 ');

    const json = JSON.parse((await runCli(['plan', '--phase', '4', '--format', 'json'])).stdout) as PlanJson;
    expect(json.phases.map((p) => p.id)).toEqual(['4']);
    expect(json.totals).toEqual({ phases: 1, groups: 3, tasks: 14 });
    expect(json.waves).toEqual([{ wave: 2, phases: ['4'] }]);
  });

  it('--phase 99 is a usage error that lists the phases there are', async () => {
    const result = await runCli(['plan', '--phase', '99']);
    expectUsageError(result);
    expect(result.stderr).toContain('error: no phase "99" in config/phases.yaml');
    expect(result.stderr).toContain('hint: phases are: 1, 2, 3, 4, 5, 6');
  });

  it('a broken plan is reported the same way as by validate', async () => {
    const result = await runCli(['plan', '--config', 'test/fixtures/malformed/cycle-len-2.yaml']);
    expectUsageError(result);
    expect(result.stderr).toContain('test/fixtures/malformed/cycle-len-2.yaml:19:18 phases[2].depends_on[0]');
    expect(result.stderr).toContain('dependency cycle: phase 2 -> phase 3 -> phase 2');
  });
});

describe('usage errors', () => {
  it('an unknown command exits 2 with a hint and no stack', async () => {
    const result = await runCli(['frobnicate']);
    expectUsageError(result);
    expect(result.stderr).toContain('frobnicate');
    expect(result.stderr).toContain('orchestrate --help');
  });

  it('a misspelt command gets a suggestion', async () => {
    const result = await runCli(['valdate']);
    expectUsageError(result);
    expect(result.stderr).toContain('Did you mean validate?');
  });

  it('an unknown option exits 2 with a hint and no stack', async () => {
    const result = await runCli(['plan', '--frobnicate']);
    expectUsageError(result);
    expect(result.stderr).toContain('Unknown argument: frobnicate');
    expect(result.stderr).toContain('orchestrate --help');
  });

  it('an unknown --format value exits 2 and names the choices', async () => {
    const result = await runCli(['plan', '--format', 'yaml']);
    expectUsageError(result);
    expect(result.stderr).toMatch(/tree.*json.*mermaid/);
  });
});

describe('colour', () => {
  const colourEnv = { FORCE_COLOR: '1', NO_COLOR: '' };

  it('is on when forced (the control for the cases below)', async () => {
    expect((await runCli(['plan'], { env: colourEnv })).stdout).toMatch(ANSI);
  });

  it('NO_COLOR turns it off, even when forced', async () => {
    const plan = await runCli(['plan'], { env: { ...colourEnv, NO_COLOR: '1' } });
    const bad = await runCli(['validate', '--config', 'test/fixtures/malformed/cycle-len-2.yaml'], { env: { ...colourEnv, NO_COLOR: '1' } });
    expect(plan.stdout).not.toMatch(ANSI);
    expect(bad.stderr).toContain('dependency cycle');
    expect(bad.stderr).not.toMatch(ANSI);
  });

  it('--no-color turns it off, even when forced', async () => {
    const plan = await runCli(['plan', '--no-color'], { env: colourEnv });
    const bad = await runCli(['validate', '--no-color', '--config', 'test/fixtures/malformed/cycle-len-2.yaml'], { env: colourEnv });
    expect(plan.stdout).toContain('Wave 1');
    expect(plan.stdout).not.toMatch(ANSI);
    expect(bad.stderr).toContain('dependency cycle');
    expect(bad.stderr).not.toMatch(ANSI);
  });
});

describe('orchestrate schema', () => {
  it('prints a JSON Schema', async () => {
    const result = await runCli(['schema']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const schema = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(expect.arrayContaining(['version', 'phases']));
  });
});
