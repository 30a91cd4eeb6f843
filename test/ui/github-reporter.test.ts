/**
 * The GitHub Actions reporter as a workflow step meets it: the built CLI as a
 * process with GITHUB_ACTIONS=true and GITHUB_STEP_SUMMARY / GITHUB_OUTPUT
 * pointing at temp files. Checks the log (groups, a failure outside any group,
 * annotations, a task's own `::` lines neutralised), the Markdown summary
 * (tables, checkpoint coverage, checklist, Mermaid) and the step outputs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotation, escapeData, escapeProperty, fileAndLine, outputFileText, verbatim } from '../../src/ui/github/commands.js';
import { runCli, type CliResult } from '../helpers/cli.js';

const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-github-')));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const plan = `version: 1
project: { name: gh-demo }
defaults: { backoff: { initial: 10ms, jitter: false } }
phases:
  - id: 1
    name: Build
    groups:
      - id: a
        name: Work
        execution: parallel
        tasks:
          - { id: "1.1", name: flaky, type: command, retries: 2, run: ["sh", "-c", "echo trying; test -f flag || { touch flag; exit 7; }"] }
          - { id: "1.3", name: measure, type: command, run: ["sh", "-c", "mkdir -p coverage; echo '{\\"total\\":{\\"lines\\":{\\"pct\\":82.5}}}' > coverage/coverage-summary.json"] }
          - { id: "1.4", name: notes, type: file_generation, template: notes, target: docs/notes.md }
    checkpoints:
      - { name: coverage, coverage: { summary: coverage/coverage-summary.json, min: { lines: 80 } } }
  - id: 2
    name: Review
    groups:
      - id: a
        execution: parallel
        tasks:
          - { id: "2.1", name: protect main, type: manual, instructions: "Protect the main branch.", checklist: ["Require reviews"] }
          - { id: "2.2", name: broken, type: command, run: ["sh", "-c", "echo '::error::forged by the task'; echo 'boom, 100%' >&2; exit 3"] }
`;

const summaryFile = path.join(dir, 'summary.md');
const outputFile = path.join(dir, 'output.txt');
let result: CliResult;

/** Parse `name<<delim ... delim` blocks as the runner does. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([\w-]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const value: string[] = [];
    for (i++; lines[i] !== m[2]; i++) value.push(lines[i]!);
    out[m[1]!] = value.join('\n');
  }
  return out;
}

beforeAll(async () => {
  fs.writeFileSync(path.join(dir, 'phases.yaml'), plan);
  fs.mkdirSync(path.join(dir, '.orchestrate', 'templates'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.orchestrate', 'templates', 'notes.md.hbs'), '# Notes\n');
  fs.writeFileSync(outputFile, 'earlier=kept\n');
  result = await runCli(['run', '--all', '--config', 'phases.yaml'], {
    cwd: dir,
    env: { GITHUB_ACTIONS: 'true', CI: 'true', GITHUB_STEP_SUMMARY: summaryFile, GITHUB_OUTPUT: outputFile },
  });
});

describe('GitHub Actions reporter', () => {
  it('is the default inside GitHub Actions and fails the step on a failed task', () => {
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('::group::');
  });

  it('groups each finished task, but prints a failing task outside any group, with its output', () => {
    const lines = result.stdout.split('\n');
    let open: string | undefined;
    const groupOf = new Map<string, string | undefined>();
    for (const line of lines) {
      if (line.startsWith('::group::')) open = line;
      else if (line === '::endgroup::') open = undefined;
      else groupOf.set(line, open);
    }
    expect([...groupOf.keys()].find((l) => l.startsWith('✗ 2.2 broken: failed'))).toBeDefined();
    expect(groupOf.get('boom, 100%')).toBeUndefined();
    expect(lines.some((l) => /^::group::✓ 1\.1 flaky: changed, .*2 attempts\)$/.test(l))).toBe(true);
    expect(lines.some((l) => /^::group::✓ 1\.4 notes: changed/.test(l))).toBe(true);
    expect(lines).toContain('files: docs/notes.md');
    expect(lines.some((l) => /^::group::✓ checkpoint coverage of phase 1 passed/.test(l))).toBe(true);
  });

  it('annotates the failure as an error and the retry and the awaited person as warnings, escaped', () => {
    const error = result.stdout.split('\n').find((l) => l.startsWith('::error title=task 2.2 failed::'));
    expect(error).toBeDefined();
    expect(error).toContain('%0A'); // the multi-line message stays one command
    expect(result.stdout).toMatch(/^::warning title=1\.1 retried::attempt 1\/3 failed, retrying in 10ms/m);
    expect(result.stdout).toMatch(/^::warning title=task 2\.1 awaits a person::.*orchestrate approve 2\.1$/m);
  });

  it('does not let a line printed by a task act as a workflow command', () => {
    const lines = result.stdout.split('\n');
    const forged = lines.indexOf('::error::forged by the task');
    expect(forged).toBeGreaterThan(-1);
    const stop = lines.slice(0, forged).reverse().find((l) => l.startsWith('::stop-commands::'));
    expect(stop).toBeDefined();
    const token = stop!.slice('::stop-commands::'.length);
    expect(lines.indexOf(`::${token}::`)).toBeGreaterThan(forged);
  });

  it('appends a step summary: a table per phase, checkpoints with coverage, a checklist, a Mermaid chart', () => {
    const md = fs.readFileSync(summaryFile, 'utf8');
    expect(md).toMatch(/^## orchestrate gh-demo: ❌ failed/m);
    expect(md).toContain('| Task | Type | Outcome | Attempts | Duration | Files changed |');
    expect(md).toMatch(/^\| 1\.1 flaky \| command \| ✅ changed \| 2 \| \d+(ms|\.\ds) \| — \|$/m);
    expect(md).toMatch(/^\| 2\.2 broken \| command \| ❌ failed: command failed with exit code 3[^|]* \| 1 \|/m);
    expect(md).toMatch(/^\| 1\.4 notes \| file_generation \| ✅ changed \| 1 \| .* \| `docs\/notes\.md` \|$/m);
    expect(md).toMatch(/^\| coverage \| ✅ passed \| lines 82\.5% \(min 80%\) \|/m);
    expect(md).toMatch(/^### Phase 1: Build — done \(/m);
    expect(md).toContain('### Phase 2: Review — failed');
    expect(md).toMatch(/^- \[ \] \*\*2\.1\*\* protect main: when done, `orchestrate approve 2\.1`/m);
    expect(md).toContain('```mermaid\nflowchart TB');
    expect(md).toMatch(/^ {2}class T_2_2e2 failed$/m);
    expect(md).toMatch(/^ {2}class T_1_2e1 done$/m);
    expect(md).toMatch(/^ {2}class T_2_2e1 awaiting$/m);
    expect(md).toContain('classDef failed');
  });

  it('writes the step outputs in the multi-line form, after what was there', () => {
    const text = fs.readFileSync(outputFile, 'utf8');
    expect(text.startsWith('earlier=kept\n')).toBe(true);
    expect(parseOutputs(text)).toEqual({
      status: 'failed',
      'failed-tasks': '2.2',
      'awaiting-tasks': '2.1',
      'changed-files': '1',
      'coverage-lines': '82.5',
    });
  });
});

describe('workflow command text', () => {
  it('escapes data and properties as the runner reads them', () => {
    expect(escapeData('50%\r\nnext')).toBe('50%25%0D%0Anext');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
    expect(annotation('error', 'two\nlines', { file: 'src/a,b.ts', line: 12, title: 'x: y' })).toBe('::error file=src/a%2Cb.ts,line=12,title=x%3A y::two%0Alines');
    expect(annotation('warning', 'plain')).toBe('::warning::plain');
  });

  it('splits a failure location into file and line', () => {
    expect(fileAndLine('src/app.ts:12:3')).toEqual({ file: 'src/app.ts', line: 12, col: 3 });
    expect(fileAndLine('jest.config.js')).toEqual({ file: 'jest.config.js' });
    expect(fileAndLine(undefined)).toEqual({});
  });

  it('picks an output delimiter the value does not contain, and fences task lines only when needed', () => {
    const text = outputFileText({ note: 'line 1\nline 2' });
    const [first, ...rest] = text.trimEnd().split('\n');
    const delimiter = first!.split('<<')[1]!;
    expect(rest).toEqual(['line 1', 'line 2', delimiter]);
    expect(verbatim(['plain'])).toEqual(['plain']);
    expect(verbatim(['::set-output name=x::y'])[0]).toMatch(/^::stop-commands::orchestrate-/);
  });
});
