/**
 * The live tree on a real terminal: the built CLI runs in a tmux pane (a
 * pseudo-terminal of 100x40 on a private tmux server) on a plan with a
 * retrying and a failing command task. The screen is read while it runs and
 * after it ends: the tree, attempt 2/3, the failure, the recap and what to do
 * next must be there and readable; the terminal is resized mid-run; and the
 * scrollback holds the tree once, not a trail of half-erased frames.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cliPath } from '../helpers/cli.js';

const socket = `orchestrate-test-${process.pid}`;
const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-tty-')));

afterAll(() => {
  try {
    execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
  } catch {
    // the server had already gone
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

// Each test runs the CLI in a session named `run`; end it even when the test failed.
afterEach(() => {
  try {
    execFileSync('tmux', ['-L', socket, 'kill-session', '-t', 'run'], { stdio: 'ignore' });
  } catch {
    // no session left
  }
});

const plan = `version: 1
project: { name: terminal-demo }
defaults: { backoff: { initial: 1500ms, jitter: false } }
phases:
  - id: 1
    name: Build
    groups:
      - id: a
        name: Compile
        execution: parallel
        tasks:
          - { id: "1.1", name: flaky fetch, type: command, retries: 2, run: ["sh", "-c", "echo fetching; test -f flag || { touch flag; exit 7; }"] }
          - { id: "1.2", name: broken lint, type: command, run: ["sh", "-c", "echo linting; sleep 2; echo 'src/a.ts: boom' >&2; exit 3"] }
          - { id: "1.3", name: slow build, type: command, run: ["sh", "-c", "for i in 1 2 3 4; do echo step $i; sleep 0.5; done"] }
  - id: 2
    name: Ship
    groups:
      - id: a
        tasks:
          - { id: "2.1", name: ship it, type: command, run: ["true"] }
`;

/** Environment of a person at a terminal: no CI, no GitHub Actions. */
function terminalEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
  for (const name of ['CI', 'CONTINUOUS_INTEGRATION', 'BUILD_NUMBER', 'RUN_ID', 'GITHUB_ACTIONS', 'NO_COLOR', 'FORCE_COLOR', 'TMUX']) delete env[name];
  return env;
}

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', env: terminalEnv() });
}

/** The visible screen, or with `history` everything the pane has shown. */
function screen(history = false): string {
  return tmux('capture-pane', '-p', '-t', 'run', ...(history ? ['-S', '-'] : []));
}

/**
 * Run the CLI with `args` in a tmux pane of `width`x`height` in `cwd`, under
 * util-linux script, which records every byte the CLI writes to its terminal
 * in `raw`; the pane's text once the run has ended, and those bytes.
 */
async function recordedRun(cwd: string, args: string, raw: string, width = 100, height = 40): Promise<{ end: string; bytes: string }> {
  fs.rmSync(raw, { force: true });
  const command = `script -qfec 'node ${cliPath} ${args}' ${raw}; echo "EXIT=$?"; sleep 600`;
  tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'run', '-x', String(width), '-y', String(height), '-c', cwd, command);
  const end = await waitFor((s) => s.includes('EXIT='), 'the end of the run');
  return { end, bytes: fs.readFileSync(raw, 'utf8') };
}

async function waitFor(test: (text: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const text = screen();
    if (test(text)) return text;
    if (Date.now() > until) throw new Error(`the screen never showed ${what}; it shows:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the live tree in a terminal', () => {
  it('draws the tree while the run goes, then leaves the last frame and the recap on the screen', async () => {
    if (!fs.existsSync(path.join(path.dirname(cliPath), '..', 'dist', 'cli.js'))) throw new Error('run `npm run build` first');
    fs.writeFileSync(path.join(dir, 'phases.yaml'), plan);
    const command = `node ${cliPath} run --all --config phases.yaml; echo "EXIT=$?"; sleep 600`;
    tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'run', '-x', '100', '-y', '40', '-c', dir, command);

    // While 1.1 waits before its second attempt, and the others run.
    const live = await waitFor((s) => /1\.1\s+retrying/.test(s), 'the retry of 1.1');
    expect(live).toMatch(/^orchestrate terminal-demo .* 0\/4 tasks done/m);
    expect(live).toMatch(/↻ 1\.1\s+retrying\s+attempt 1\/3 failed, next in \d/);
    expect(live).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] 1\.3\s+running/);
    expect(live).toMatch(/› step \d/);
    expect(live).toMatch(/Phase 1 Build\s+running/);
    expect(live).toMatch(/Phase 2 Ship\s+pending 0\/1/);

    // A narrower, shorter terminal mid-run: the tree is drawn again to fit.
    tmux('resize-window', '-t', 'run', '-x', '80', '-y', '30');
    const resized = await waitFor((s) => /1\.1\s+running\s+attempt 2\/3/.test(s) || /1\.1\s+changed/.test(s), 'the second attempt of 1.1');
    for (const line of resized.split('\n')) expect(line.length).toBeLessThanOrEqual(80);

    const end = await waitFor((s) => s.includes('EXIT='), 'the end of the run');
    expect(end).toContain('EXIT=1');
    expect(end).toMatch(/✓ 1\.1\s+changed .*attempt 2\/3/);
    expect(end).toMatch(/✗ 1\.2\s+failed\s+command failed with exit code 3/);
    expect(end).toMatch(/✓ 1\.3\s+changed/);
    expect(end).toMatch(/Phase 2 Ship\s+skipped/);
    expect(end).toContain('Run failed.');
    expect(end).toMatch(/Failures:\n\s+✗ 1\.2: command failed with exit code 3/);
    expect(end).toContain('src/a.ts: boom');
    expect(end).toContain('orchestrate run --task 1.2');
    // The recap comes after the tree's last frame, not inside it.
    expect(end.indexOf('Run failed.')).toBeGreaterThan(end.indexOf('▸ - Phase 2 Ship'));
    expect(end.indexOf('▸ - Phase 2 Ship')).toBeGreaterThan(-1);

    // Frames replaced each other in place: the header is in the scrollback once.
    const all = screen(true);
    if (process.env.ORCHESTRATE_SHOW_SCREEN) console.log(all);
    expect(all.match(/^orchestrate terminal-demo /gm)).toHaveLength(1);
  });

  it('takes the tree off the screen while a person answers a manual step, and draws it again after', async () => {
    const manual = `version: 1
project: { name: prompt-demo }
phases:
  - id: 1
    name: Review
    groups:
      - id: a
        execution: parallel
        tasks:
          - { id: "1.1", type: manual, instructions: "Protect the main branch.", checklist: ["Require reviews"] }
          - { id: "1.2", name: make file, type: command, run: ["sh", "-c", "sleep 0.3; echo made > made.txt"] }
`;
    fs.writeFileSync(path.join(dir, 'manual.yaml'), manual);
    const command = `node ${cliPath} run --all --config manual.yaml; echo "EXIT=$?"; sleep 600`;
    tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'run', '-x', '100', '-y', '40', '-c', dir, command);
    const asking = await waitFor((s) => s.includes('Is it done?'), 'the question');
    // 1.2 finishes while the question is open; nothing may be drawn over it.
    await new Promise((resolve) => setTimeout(resolve, 800));
    const during = screen();
    expect(during).toBe(asking);
    expect(during).toContain('Manual step 1.1');
    expect(during).toContain('[ ] Require reviews');
    expect(during).not.toMatch(/^orchestrate prompt-demo /m);
    tmux('send-keys', '-t', 'run', 'd', 'Enter');
    const end = await waitFor((s) => s.includes('EXIT='), 'the end of the run');
    expect(end).toContain('EXIT=0');
    expect(end).toMatch(/^orchestrate prompt-demo .* 2\/2 tasks/m);
    expect(end).toMatch(/✓ 1\.1\s+changed\s+done by a person/);
    expect(end).toMatch(/✓ 1\.2\s+changed/);
    expect(end.indexOf('Is it done?')).toBeLessThan(end.indexOf('orchestrate prompt-demo'));
    expect(end).toContain('Run complete.');
    expect(fs.readFileSync(path.join(dir, 'made.txt'), 'utf8')).toBe('made\n');
  });

  it('on Ctrl-C, says it is stopping above the tree, cancels, and ends with the recap', async () => {
    const slow = `version: 1
project: { name: stop-demo }
phases:
  - id: 1
    name: Only
    groups:
      - id: a
        tasks:
          - { id: "1.1", name: long wait, type: command, run: ["sh", "-c", "echo waiting; sleep 30"] }
`;
    fs.writeFileSync(path.join(dir, 'slow.yaml'), slow);
    fs.rmSync(path.join(dir, '.orchestrate'), { recursive: true, force: true });
    const command = `node ${cliPath} run --all --config slow.yaml; echo "EXIT=$?"; sleep 600`;
    tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'run', '-x', '100', '-y', '40', '-c', dir, command);
    await waitFor((s) => /1\.1\s+running/.test(s), 'the task running');
    tmux('send-keys', '-t', 'run', 'C-c');
    const end = await waitFor((s) => s.includes('EXIT='), 'the end of the run');
    expect(end).toContain('EXIT=130');
    expect(end).toContain('SIGINT: stopping');
    expect(end).toMatch(/■ 1\.1\s+cancelled/);
    expect(end.indexOf('SIGINT: stopping')).toBeLessThan(end.indexOf('orchestrate stop-demo'));
    expect(end).toContain('Run interrupted.');
    expect(screen(true).match(/^orchestrate stop-demo /gm)).toHaveLength(1);
  });

  it('colours the tree on a terminal, and not with --no-color or NO_COLOR', async () => {
    const tiny = `version: 1
project: { name: colour-demo }
phases:
  - id: 1
    name: Only
    groups:
      - id: a
        tasks:
          - { id: "1.1", name: ok, type: command, run: ["true"] }
`;
    fs.writeFileSync(path.join(dir, 'tiny.yaml'), tiny);
    const coloured = async (prefix: string, flag: string): Promise<string> => {
      fs.rmSync(path.join(dir, '.orchestrate'), { recursive: true, force: true });
      const command = `${prefix}node ${cliPath} run --all --config tiny.yaml ${flag}; echo "EXIT=$?"; sleep 600`;
      tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'run', '-x', '100', '-y', '40', '-c', dir, command);
      await waitFor((s) => s.includes('EXIT='), 'the end of the run');
      const text = tmux('capture-pane', '-p', '-e', '-t', 'run');
      tmux('kill-session', '-t', 'run');
      return text;
    };
    const sgr = /\u001b\[[0-9;]*m/;
    const withColour = await coloured('', '');
    expect(withColour).toMatch(/\u001b\[32m✓/);
    const withFlag = await coloured('', '--no-color');
    expect(withFlag).toMatch(/✓ 1\.1\s+changed/);
    expect(withFlag).not.toMatch(sgr);
    const withEnv = await coloured('NO_COLOR=1 ', '');
    expect(withEnv).toMatch(/✓ 1\.1\s+changed/);
    expect(withEnv).not.toMatch(sgr);
  });
  it('paints the first frame before Ink draws, and Ink erases it: the tree is on the screen and in the scrollback once', async () => {
    const two = `version: 1
project: { name: frame-demo }
phases:
  - id: 1
    name: Build
    groups:
      - id: a
        name: Compile
        tasks:
          - { id: "1.1", name: first step, type: command, run: ["sh", "-c", "echo one; sleep 0.6"] }
          - { id: "1.2", name: second step, type: command, run: ["sh", "-c", "echo two; sleep 0.3"] }
  - id: 2
    name: Ship
    groups:
      - id: a
        tasks:
          - { id: "2.1", name: ship it, type: command, run: ["true"] }
`;
    fs.writeFileSync(path.join(dir, 'frame.yaml'), two);
    fs.rmSync(path.join(dir, '.orchestrate'), { recursive: true, force: true });
    const { end, bytes } = await recordedRun(dir, 'run --all --config frame.yaml', path.join(dir, 'frame.raw'));
    expect(end).toContain('EXIT=0');

    // The byte stream: the painted frame comes first, with nothing erased before it,
    // then its erasure, then Ink's first render (Ink hides the cursor before its first frame).
    const header = bytes.indexOf('orchestrate frame-demo');
    const inkStart = bytes.indexOf('\u001b[?25l');
    expect(header).toBeGreaterThan(-1);
    expect(inkStart).toBeGreaterThan(header);
    expect(bytes.slice(0, header)).not.toContain('\u001b[1A');
    const painted = bytes.slice(header, inkStart);
    const paintedLines = painted.slice(0, painted.indexOf('\u001b[2K')).split('\n').length - 1;
    // Before the run starts: the header and one line for each pending phase.
    expect(paintedLines).toBe(3);
    expect(painted).toContain('\u001b[2K\u001b[1A'.repeat(paintedLines) + '\u001b[2K\u001b[G');
    expect(bytes.slice(inkStart)).toContain('orchestrate frame-demo');

    // The screen once escape sequences are applied: one tree, its last frame, then the recap.
    const all = screen(true);
    expect(all.match(/^orchestrate frame-demo /gm)).toHaveLength(1);
    expect(all.match(/^[▸▾] .*Phase 1 Build/gm)).toHaveLength(1);
    expect(all.match(/^[▸▾] .*Phase 2 Ship/gm)).toHaveLength(1);
    expect(end).toMatch(/^orchestrate frame-demo .* 3\/3 tasks done/m);
    expect(end).toMatch(/✓ 1\.1\s+changed/);
    expect(end).toMatch(/✓ 1\.2\s+changed/);
    expect(end.indexOf('Run complete.')).toBeGreaterThan(end.indexOf('Phase 2 Ship'));
  });
  it('takes the painted frame off again when a dirty working tree refuses the run: the refusal stands alone', async () => {
    const repo = path.join(dir, 'dirty');
    fs.rmSync(repo, { recursive: true, force: true });
    fs.mkdirSync(repo);
    fs.writeFileSync(
      path.join(repo, 'phases.yaml'),
      `version: 1
project: { name: dirty-demo }
phases:
  - id: 1
    name: Only
    groups:
      - id: a
        tasks:
          - { id: "1.1", name: write, type: command, run: ["sh", "-c", "echo x > out.txt"] }
`,
    );
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'start');
    fs.writeFileSync(path.join(repo, 'notes.txt'), 'mine\n');
    const { end, bytes } = await recordedRun(repo, 'run --all --config phases.yaml', path.join(dir, 'dirty.raw'));
    expect(end).toContain('EXIT=2');
    expect(end).toContain('has changes orchestrate did not make');
    expect(end).toContain('?? notes.txt');
    // The frame was painted (the git check comes after it), then erased before the message.
    expect(bytes).toContain('orchestrate dirty-demo');
    expect(screen(true)).not.toContain('orchestrate dirty-demo');
    expect(fs.existsSync(path.join(repo, 'out.txt'))).toBe(false);
  });
  it('paints a first frame that must be cut to a narrow terminal as Ink cuts it, and leaves the tree once', async () => {
    const narrow = `version: 1
project: { name: déploiement-très-long }
phases:
  - id: 1
    name: Vérifier les dépendances de chaque paquet
    groups:
      - id: a
        tasks:
          - { id: "1.1", name: mettre à jour les dépendances, type: command, run: ["sh", "-c", "sleep 0.3"] }
`;
    fs.writeFileSync(path.join(dir, 'narrow.yaml'), narrow);
    fs.rmSync(path.join(dir, '.orchestrate'), { recursive: true, force: true });
    const { end, bytes } = await recordedRun(dir, 'run --all --config narrow.yaml', path.join(dir, 'narrow.raw'), 36, 30);
    expect(end).toContain('EXIT=0');
    const header = bytes.indexOf('orchestrate déploiement');
    expect(header).toBeGreaterThan(-1);
    expect(header).toBeLessThan(bytes.indexOf('\u001b[?25l'));
    // Every line of the painted frame was cut with an ellipsis at the terminal's width, none wrapped.
    const painted = bytes.slice(header, bytes.indexOf('\u001b[2K')).split('\r\n').filter(Boolean);
    expect(painted).toHaveLength(2);
    for (const line of painted) expect(line.replace(/\u001b\[[\d;]*m/g, '')).toMatch(/^.{1,35}…$/u);
    const all = screen(true);
    expect(all.match(/^orchestrate déploiement/gm)).toHaveLength(1);
    expect(all.match(/^[▸▾] .*Phase 1 /gm)).toHaveLength(1);
    for (const line of end.split('\n').slice(0, 4)) expect([...line].length).toBeLessThanOrEqual(36);
  });
});
