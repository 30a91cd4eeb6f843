/**
 * The example in docs/api.md runs: it is taken from the page, run with node
 * against the built package (installed as `orchestrate-rollout` in a temp
 * folder) in a real git repository holding the page's plan, and must print
 * what the page says it prints. Also: typed errors and cancellation through
 * the package, as a caller meets them. Build first (`npm run build`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const page = fs.readFileSync(path.join(repoRoot, 'docs/api.md'), 'utf8');
let dir = '';

/** The fenced block of `lang` after `marker` in the page. */
function blockAfter(marker: string, lang: string): string {
  const from = page.indexOf(marker);
  if (from < 0) throw new Error(`docs/api.md has no ${marker}`);
  const match = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(page.slice(from));
  if (!match?.[1]) throw new Error(`no \`\`\`${lang} block after ${marker} in docs/api.md`);
  return match[1];
}

function git(...args: string[]): void {
  execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
}

function node(script: string): { code: number | null; stdout: string; stderr: string } {
  fs.writeFileSync(path.join(dir, 'script.mjs'), script);
  const result = spawnSync(process.execPath, ['script.mjs'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'index.js'))) throw new Error('dist/index.js is missing: run `npm run build` before these tests');
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-api-')));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(repoRoot, path.join(dir, 'node_modules', 'orchestrate-rollout'));
  fs.symlinkSync(path.join(repoRoot, 'examples/plugins/codeowners'), path.join(dir, 'node_modules', 'orchestrate-codeowners'));
  fs.writeFileSync(path.join(dir, 'phases.yaml'), blockAfter('## An example', 'yaml'));
  fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules\nscript.mjs\n');
  git('init', '-q');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'plan');
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('docs/api.md', () => {
  it('runs its example against the built package and prints what it says', () => {
    const result = node(blockAfter('<!-- api-example -->', 'js'));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(blockAfter('It prints:', ''));
    // The run was real: the file is written and the state is where the CLI reads it.
    expect(fs.readFileSync(path.join(dir, '.github/CODEOWNERS'), 'utf8')).toBe('/infra/ @acme/sre\n');
    expect(fs.existsSync(path.join(dir, '.orchestrate', 'state.json'))).toBe(true);
  });

  it('rejects with typed errors a caller can tell apart, and stops a run by its AbortSignal', () => {
    fs.writeFileSync(path.join(dir, 'bad.yaml'), 'version: 1\nphases:\n  - id: 1\n    name: One\n    groups:\n      - id: a\n        tasks:\n          - { id: "1.1", type: comand, run: "true" }\n');
    const result = node(`
import { loadPlan, run, PlanError, UserError } from 'orchestrate-rollout';
try {
  await loadPlan({ config: 'bad.yaml' });
} catch (error) {
  const d = error.diagnostics[0];
  console.log(error instanceof PlanError, error instanceof UserError, error.exitCode, d.line + ':' + d.column, d.path, d.message, '|', d.hint);
}
try {
  await run({ config: 'missing.yaml' }).result;
} catch (error) {
  console.log(error instanceof UserError, error instanceof PlanError, error.message);
}
const handle = run({ config: 'phases.yaml', all: true, force: true, signal: AbortSignal.abort() });
const types = [];
for await (const event of handle) types.push(event.type);
const result = await handle.result;
console.log(result.status, result.exitCode, result.counts.changed, types[0], types.at(-1));
`);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')).toEqual([
      'true true 2 8:32 phases[0].groups[0].tasks[0].type unknown task type "comand" | did you mean "command"? known types: config_edit, test_generation, file_generation, manual, command',
      'true false no plan file at missing.yaml',
      'interrupted 130 0 run:start run:finish',
      '',
    ]);
  });
});
