// Time to the first frame of the live tree: `orchestrate run --dry-run` on a
// terminal, from spawn until the tree's first line reaches the terminal,
// against `node -e ''` through the same pseudo-terminal in the same run. The
// terminal is util-linux `script` with its size set by `stty` (a pty with no
// size gets the plain reporter). For scale, the same for the plain reporter's
// first line, and the cost of loading Ink bundled (our chunk) and unbundled
// (from node_modules).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const PLAN = `version: 1
project: { name: first-frame }
phases:
  - id: 1
    name: Only
    groups:
      - id: a
        tasks:
          - { id: "1.1", name: wait, type: command, run: ["true"] }
`;

/** Environment of a person at a terminal: no CI, no GitHub Actions, colour on. */
function terminalEnv() {
  const env = { ...process.env, TERM: 'xterm-256color' };
  for (const name of ['CI', 'CONTINUOUS_INTEGRATION', 'BUILD_NUMBER', 'RUN_ID', 'GITHUB_ACTIONS', 'NO_COLOR']) delete env[name];
  return env;
}

/** Time to the first frame against `node -e ''` in the same terminal. */
const TARGET_RATIO = 2;

const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Spawn `argv` in a 100x40 pseudo-terminal; resolve with the ms from spawn
 * until `marker` appears in its output (or until it exits, without a marker).
 */
function inTerminal(argv, cwd, marker) {
  const command = `stty rows 40 cols 100; exec ${argv.map(quote).join(' ')}`;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd, env: terminalEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let seen;
    let output = '';
    child.stdout.on('data', (chunk) => {
      if (seen !== undefined || marker === undefined) return;
      output += chunk.toString();
      if (output.includes(marker)) seen = performance.now() - started;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const total = performance.now() - started;
      if (code !== 0) reject(new Error(`${argv.join(' ')} exited ${code} in the terminal:\n${output}`));
      else if (marker !== undefined && seen === undefined) reject(new Error(`${argv.join(' ')} never printed ${JSON.stringify(marker)}:\n${output}`));
      else resolve(seen ?? total);
    });
  });
}

/** The first-frame bench; `b` carries run.mjs's helpers and paths. */
export async function firstFrame(b) {
  const reps = b.reps ?? 11;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-bench-frame-'));
  fs.writeFileSync(path.join(dir, 'phases.yaml'), PLAN);
  const chunks = path.join(b.cliDir, 'dist', 'chunks');
  const mountChunk = fs.readdirSync(chunks).find((f) => /^mount-.*\.js$/.test(f));
  if (!mountChunk) throw new Error(`no mount-*.js chunk in ${chunks}: is Ink bundled?`);
  const node = process.execPath;
  const run = (...more) => [node, b.cliBin, 'run', '--all', '--dry-run', '--config', 'phases.yaml', ...more];
  const variants = {
    baseline: () => inTerminal([node, '-e', ''], dir),
    ink: () => inTerminal(run(), dir, 'orchestrate first-frame'),
    plain: () => inTerminal(run('--reporter', 'plain'), dir, ' run    dry run '),
    wrapper: () => inTerminal(['true'], dir),
    inkChunk: () => inTerminal([node, '-e', `import(${JSON.stringify(pathToFileURL(path.join(chunks, mountChunk)).href)})`], dir),
    inkUnbundled: () => inTerminal([node, '--input-type=module', '-e', "await import('ink'); await import('react')"], b.repo),
  };
  try {
    for (const measure of Object.values(variants)) await measure(); // warm the file cache; fail early
    const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    for (let i = 0; i < reps; i++) for (const [k, measure] of Object.entries(variants)) times[k].push(await measure());
    const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, b.median(v)]));
    const ratio = m.ink / m.baseline;
    b.section(`5. Time to first frame of the live tree (median of ${reps}, interleaved, in a 100x40 pty made by script + stty)`);
    b.line('baseline', "node -e '' (spawn to exit)", times.baseline);
    b.line('ours', 'orchestrate run --dry-run: spawn to the tree on screen', times.ink, `${b.x(ratio)} node -e ''; target <= ${TARGET_RATIO}x ${b.verdict(ratio <= TARGET_RATIO)}`);
    b.line('scale', 'same with --reporter plain: spawn to its first line', times.plain, `tree costs +${b.fmt(m.ink - m.plain)} ms over plain`);
    b.line('scale', 'the terminal wrapper alone (script + stty + true)', times.wrapper);
    b.line('scale', `node -e "import('dist/chunks/${mountChunk}')" (Ink bundled)`, times.inkChunk, `+${b.fmt(m.inkChunk - m.baseline)} ms over node alone`);
    b.line('scale', 'node -e "await import(\'ink\'); await import(\'react\')" (unbundled)', times.inkUnbundled, `+${b.fmt(m.inkUnbundled - m.baseline)} ms over node alone`);
    b.addSummary('5. first frame of the live tree', `node -e '': ${b.fmt(m.baseline)} ms`, `${b.fmt(m.ink)} ms`, b.x(ratio), `<= ${TARGET_RATIO}x`, ratio <= TARGET_RATIO);
    b.results.benchmarks.firstFrame = { medianMs: m, samplesMs: times, chunk: mountChunk };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
