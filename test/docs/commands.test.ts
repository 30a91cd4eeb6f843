/**
 * Every command README.md and QUICKSTART.md show is run, so the docs cannot
 * drift from what the product does.
 *
 * Conventions (the docs follow them):
 * - Commands are the lines of fenced blocks marked ```sh, ```bash or
 *   ```console (in `console` blocks only the lines starting with `$ `; the
 *   rest is output). Blocks without a language, or marked yaml, are examples
 *   of output or of files, and are not run.
 * - A command must exit 0, unless the line ends with a comment `# exit N`:
 *   then it must exit N (e.g. a run that stops on a manual step, `# exit 3`).
 * - Commands run one after another in document order, each through bash, in
 *   a temporary copy of the repository (the files git does not ignore,
 *   dist/ built from them, node_modules linked), with CI=true (no prompts)
 *   and NO_COLOR=1. Paths under /tmp/ are rewritten to a scratch directory
 *   of the test, so the doc's scratch targets are the test's.
 * - Commands that cannot run in a test are listed in NOT_RUN below, each
 *   with the reason; a listed command that no longer appears in the docs
 *   fails the test, so the list stays true.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyCheckout, repoRoot } from '../helpers/checkout-copy.js';
const DOCS = ['README.md', 'QUICKSTART.md'];

/** Commands shown in the docs that this test does not run, and why. */
const NOT_RUN: Record<string, string> = {
  './setup.sh': 'runs npm ci (network, minutes); its steps are the commands QUICKSTART.md shows, which are run here',
  'npm test': 'is the whole test suite, this test included',
  'npm run typecheck': 'part of npm test; slow on two cores',
  'npm run bench': 'minutes of benchmarks; run by hand for docs/benchmarks.md',
};

export interface DocCommand {
  file: string;
  line: number;
  command: string;
  expectedExit: number;
}

/** The commands of a Markdown text, with the exit code each must end with. */
export function extractCommands(file: string, text: string): DocCommand[] {
  const out: DocCommand[] = [];
  let fence: 'sh' | 'console' | 'other' | undefined;
  let pending = '';
  let pendingLine = 0;
  text.split('\n').forEach((raw, index) => {
    const opener = /^\s*```\s*([\w-]*)/.exec(raw);
    if (opener) {
      if (fence === undefined) {
        const lang = opener[1] ?? '';
        fence = lang === 'sh' || lang === 'bash' ? 'sh' : lang === 'console' ? 'console' : 'other';
      } else fence = undefined;
      return;
    }
    if (fence === undefined || fence === 'other') return;
    let line = raw.trim();
    if (pending === '') {
      if (fence === 'console') {
        if (!line.startsWith('$ ')) return;
        line = line.slice(2);
      }
      if (line === '' || line.startsWith('#')) return;
      pendingLine = index + 1;
    }
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      return;
    }
    const command = `${pending}${line}`;
    pending = '';
    const marker = /#\s*exit\s+(\d+)\s*$/.exec(command);
    out.push({ file, line: pendingLine, command, expectedExit: marker ? Number(marker[1]) : 0 });
  });
  return out;
}

/** The command without its trailing comment, for matching against NOT_RUN. */
function bare(command: string): string {
  return command.replace(/\s+#.*$/, '').trim();
}

const commands = DOCS.flatMap((file) => extractCommands(file, fs.readFileSync(path.join(repoRoot, file), 'utf8')));

describe('extractCommands', () => {
  it('reads sh and console blocks, skips output and other blocks, and honours # exit N', () => {
    const text = ['```sh', 'echo one   # say one', 'false  # exit 1', '```', '```', 'not run', '```', '```console', '$ echo two', 'two', '```', '```yaml', 'a: 1', '```'].join('\n');
    expect(extractCommands('x.md', text)).toEqual([
      { file: 'x.md', line: 2, command: 'echo one   # say one', expectedExit: 0 },
      { file: 'x.md', line: 3, command: 'false  # exit 1', expectedExit: 1 },
      { file: 'x.md', line: 9, command: 'echo two', expectedExit: 0 },
    ]);
  });

  it('finds commands in both docs, and every command NOT_RUN lists is still in them', () => {
    expect(commands.filter((c) => c.file === 'README.md').length).toBeGreaterThan(0);
    expect(commands.filter((c) => c.file === 'QUICKSTART.md').length).toBeGreaterThan(0);
    const shown = new Set(commands.map((c) => bare(c.command)));
    expect(Object.keys(NOT_RUN).filter((command) => !shown.has(command))).toEqual([]);
  });
});

describe('the commands in README.md and QUICKSTART.md', () => {
  let copy = '';
  let scratch = '';

  beforeAll(async () => {
    copy = copyCheckout('orchestrate-docs-');
    scratch = path.join(copy, '.scratch');
    fs.mkdirSync(scratch);
    const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: copy, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`building the copy failed:\n${built.stderr}`);
  }, 300_000);

  afterAll(() => {
    if (copy !== '') fs.rmSync(copy, { recursive: true, force: true });
  });

  for (const doc of commands) {
    const skipped = NOT_RUN[bare(doc.command)];
    const name = `${doc.file}:${doc.line}: ${doc.command}`;
    if (skipped !== undefined) {
      it.skip(`${name}  (not run: ${skipped})`, () => {});
      continue;
    }
    it(name, () => {
      const command = doc.command.replaceAll('/tmp/', `${scratch}/`);
      const { FORCE_COLOR: _forced, ...inherited } = process.env;
      const result = spawnSync('bash', ['-c', command], {
        cwd: copy,
        encoding: 'utf8',
        env: { ...inherited, CI: 'true', NO_COLOR: '1' },
        timeout: 300_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(result.status, `${name}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`).toBe(doc.expectedExit);
      expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m); // never a stack trace
    }, 300_000);
  }
});
