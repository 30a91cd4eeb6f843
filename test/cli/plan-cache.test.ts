/**
 * The plan cache through the real CLI: a second `validate` or `plan` of an
 * unchanged plan uses the cache (ORCHESTRATE_DEBUG=cache says so), an edit of
 * the plan or of a variable it expands is seen at once, a broken cache file is
 * ignored, and a plan with problems reports exactly what it reports without a
 * cache. Build first (`npm run build`).
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'orchestrate-cli-cache-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const plan = (taskName: string, extra = '') => `version: 1
project: { name: cached }
phases:
  - id: 1
    name: Only
    groups:
      - id: a
        tasks:
          - { id: "1.1", name: "${taskName}", type: manual, instructions: "Do it." }${extra}
`;

async function orchestrate(args: string[], env: Record<string, string> = {}): Promise<CliResult & { cache: string[] }> {
  const result = await runCli([...args, '--config', 'phases.yaml'], { cwd: dir, env: { ORCHESTRATE_CACHE_DIR: path.join(dir, 'cache'), ORCHESTRATE_DEBUG: 'cache', ...env } });
  const lines = result.stderr.split('\n');
  return { ...result, stderr: lines.filter((line) => !line.startsWith('plan cache: ')).join('\n'), cache: lines.filter((line) => line.startsWith('plan cache: ')) };
}

describe('the plan cache through the CLI', () => {
  it('is used by a second validate and by plan, and sees an edit of the plan and of a variable at once', async () => {
    await writeFile(path.join(dir, 'phases.yaml'), plan('write ${WHO:-nobody} a note'));
    const first = await orchestrate(['validate']);
    expect(first.code).toBe(0);
    expect(first.cache.join('\n')).toMatch(/miss .*phases\.yaml \(no entry\)\nplan cache: stored /);

    const second = await orchestrate(['validate']);
    expect(second).toMatchObject({ code: 0, stdout: first.stdout });
    expect(second.cache).toEqual([`plan cache: hit for ${path.join(dir, 'phases.yaml')}`]);

    const shown = await orchestrate(['plan']);
    expect(shown.code).toBe(0);
    expect(shown.cache).toEqual([`plan cache: hit for ${path.join(dir, 'phases.yaml')}`]);
    expect(shown.stdout).toContain('write nobody a note');

    await writeFile(path.join(dir, 'phases.yaml'), plan('write ${WHO:-nobody} two notes'));
    const edited = await orchestrate(['plan']);
    expect(edited.cache[0]).toMatch(/miss .* \(the plan changed\)/);
    expect(edited.stdout).toContain('write nobody two notes');

    const withWho = await orchestrate(['plan'], { WHO: 'ada' });
    expect(withWho.cache[0]).toMatch(/miss .* \(\$\{WHO\} changed\)/);
    expect(withWho.stdout).toContain('write ada two notes');
    expect((await orchestrate(['plan'], { WHO: 'ada' })).cache[0]).toMatch(/^plan cache: hit/);
    const unset = await orchestrate(['plan']);
    expect(unset.cache[0]).toMatch(/miss/);
    expect(unset.stdout).toContain('write nobody two notes');
  });

  it('runs a dry run from a hit, and a template edit (read when the task runs, not when the plan loads) shows at once', async () => {
    await mkdir(path.join(dir, 'tpl'), { recursive: true });
    await writeFile(path.join(dir, 'tpl', 'note.hbs'), 'first text\n');
    await writeFile(
      path.join(dir, 'phases.yaml'),
      'version: 1\nproject: { name: dry, root: . }\ntemplates_dir: tpl\nphases:\n  - id: 1\n    name: Only\n    groups:\n      - id: a\n        tasks:\n          - { id: "1.1", name: note, type: file_generation, template: note, target: out/note.txt }\n',
    );
    const dryRun = ['run', '--all', '--dry-run', '--reporter', 'plain'];
    const first = await orchestrate(dryRun);
    expect(first.code).toBe(0);
    expect(first.cache[0]).toMatch(/miss/);
    expect(first.stdout).toContain('+first text');
    const second = await orchestrate(dryRun);
    expect(second.cache).toEqual([`plan cache: hit for ${path.join(dir, 'phases.yaml')}`]);
    expect(second.stdout).toContain('+first text');
    await writeFile(path.join(dir, 'tpl', 'note.hbs'), 'second text\n');
    const edited = await orchestrate(dryRun);
    expect(edited.cache[0]).toMatch(/^plan cache: hit/);
    expect(edited.stdout).toContain('+second text');
    expect(edited.stdout).not.toContain('first text');
  });

  it('ignores a broken cache file and replaces it', async () => {
    await writeFile(path.join(dir, 'phases.yaml'), plan('broken cache'));
    await orchestrate(['validate']);
    const plans = path.join(dir, 'cache', 'plans');
    for (const name of await readdir(plans)) await writeFile(path.join(plans, name), 'orchestrate-plan-cache 1 0000\n{"build":');
    const result = await orchestrate(['plan']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('broken cache');
    expect(result.cache.join('\n')).toMatch(/ignored .* \(checksum mismatch \(truncated or edited\)\)/);
    expect((await orchestrate(['plan'])).cache[0]).toMatch(/^plan cache: hit/);
  });

  it('reports a plan with problems exactly as without a cache, every time', async () => {
    await writeFile(path.join(dir, 'phases.yaml'), plan('bad', '\n      - id: b\n        depends_on: [nope]\n        tasks: []'));
    const uncached = await orchestrate(['validate'], { ORCHESTRATE_NO_CACHE: '1' });
    expect(uncached.code).toBe(2);
    expect(uncached.cache).toEqual([]);
    expect(uncached.stderr).toContain('phases.yaml:');
    for (let i = 0; i < 2; i++) {
      const cached = await orchestrate(['validate']);
      expect({ code: cached.code, stdout: cached.stdout, stderr: cached.stderr }).toEqual({ code: uncached.code, stdout: uncached.stdout, stderr: uncached.stderr });
    }
  });

  it('lives in $XDG_CACHE_HOME/orchestrate by default, and ORCHESTRATE_NO_CACHE turns it off', async () => {
    await writeFile(path.join(dir, 'phases.yaml'), plan('where'));
    const xdg = path.join(dir, 'xdg');
    expect((await orchestrate(['validate'], { ORCHESTRATE_CACHE_DIR: '', XDG_CACHE_HOME: xdg })).cache[1]).toContain(path.join(xdg, 'orchestrate', 'plans'));
    expect((await orchestrate(['validate'], { ORCHESTRATE_CACHE_DIR: '', XDG_CACHE_HOME: xdg })).cache[0]).toMatch(/^plan cache: hit/);
    const off = await orchestrate(['validate'], { ORCHESTRATE_NO_CACHE: '1' });
    expect(off.code).toBe(0);
    expect(off.cache).toEqual([]);
  });

  it('takes the colour from the repository settings file on a hit too, and only from a file that sets it', async () => {
    await writeFile(path.join(dir, 'phases.yaml'), plan('colour check'));
    const settings = path.join(dir, '.orchestrate', 'config.yaml');
    await mkdir(path.dirname(settings), { recursive: true });
    // No user settings file, and the helper's NO_COLOR=1 cleared: the repository file decides.
    const env = { NO_COLOR: '', XDG_CONFIG_HOME: path.join(dir, 'no-user-config') };
    try {
      await writeFile(settings, '{ color: true }\n');
      const miss = await orchestrate(['validate'], env);
      const hit = await orchestrate(['validate'], env);
      expect(hit.cache).toEqual([`plan cache: hit for ${path.join(dir, 'phases.yaml')}`]);
      for (const result of [miss, hit]) {
        expect(result.code).toBe(0);
        expect(result.stdout).toContain('\u001b[');
      }
      await writeFile(settings, 'concurrency: 2\n');
      const plain = await orchestrate(['validate'], env);
      expect(plain.cache).toEqual([`plan cache: hit for ${path.join(dir, 'phases.yaml')}`]);
      expect(plain).toMatchObject({ code: 0, stdout: expect.not.stringContaining('\u001b[') as unknown });
      await writeFile(settings, '"\\x63olor": true\n');
      const escaped = await orchestrate(['validate'], env);
      expect(escaped.code).toBe(0);
      expect(escaped.stdout).toContain('\u001b[');
    } finally {
      await rm(path.dirname(settings), { recursive: true, force: true });
    }
  });
});
