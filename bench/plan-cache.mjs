// Measures the plan cache: loading config/phases.yaml in cold node processes
// with a miss, a hit and no cache (bundled from the sources, in process), and
// the CLI's `validate` and `plan` on a hit against `node -e 0`, interleaved.
// Medians of --reps runs (default 9). Build first (`npm run build`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const repsAt = process.argv.indexOf('--reps');
const reps = repsAt > 0 ? Number(process.argv[repsAt + 1]) : 9;
const work = mkdtempSync(path.join(tmpdir(), 'orchestrate-cache-bench-'));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

try {
  const probe = path.join(work, 'probe.mjs');
  await build({
    entryPoints: [path.join(root, 'bench', 'plan-cache-probe.ts')],
    outfile: probe,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    minify: true,
    // As scripts/build.mjs: bundled CommonJS (write-file-atomic) uses require and __filename.
    banner: { js: "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url);" },
    logLevel: 'warning',
  });
  const runProbe = (cacheDir) => JSON.parse(spawnSync(process.execPath, [probe, 'config/phases.yaml', cacheDir], { cwd: root, encoding: 'utf8' }).stdout);
  const load = { none: [], miss: [], hit: [] };
  const warm = path.join(work, 'warm');
  runProbe(warm);
  for (let i = 0; i < reps; i++) {
    load.none.push(runProbe('').ms);
    const empty = path.join(work, `empty-${i}`);
    const miss = runProbe(empty);
    if (miss.stored !== 1) throw new Error(`a miss did not store: ${JSON.stringify(miss)}`);
    load.miss.push(miss.ms);
    const hit = runProbe(warm);
    if (hit.hits !== 1 || hit.yamlParses !== 0 || hit.schemaChecks !== 0) throw new Error(`not a clean hit: ${JSON.stringify(hit)}`);
    load.hit.push(hit.ms);
  }
  console.log(`load config/phases.yaml in process, cold node, median of ${reps}:`);
  for (const [kind, values] of Object.entries(load)) console.log(`  ${kind.padEnd(5)} ${median(values).toFixed(1)} ms`);

  const cli = path.join(root, 'bin', 'orchestrate.js');
  const env = { ...process.env, ORCHESTRATE_CACHE_DIR: path.join(work, 'cli-cache'), NO_COLOR: '1' };
  const commands = {
    'node -e 0': ['-e', '0'],
    validate: [cli, 'validate'],
    plan: [cli, 'plan'],
    'validate (no cache)': [cli, 'validate'],
  };
  spawnSync(process.execPath, [cli, 'validate'], { cwd: root, env });
  const times = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (let i = 0; i < reps; i++) {
    for (const [name, args] of Object.entries(commands)) {
      const start = process.hrtime.bigint();
      const result = spawnSync(process.execPath, args, { cwd: root, env: name.includes('no cache') ? { ...env, ORCHESTRATE_NO_CACHE: '1' } : env, stdio: 'ignore' });
      if (result.status !== 0) throw new Error(`${name} exited ${result.status}`);
      times[name].push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  const floor = median(times['node -e 0']);
  console.log(`CLI wall time, median of ${reps} (interleaved):`);
  for (const [name, values] of Object.entries(times)) console.log(`  ${name.padEnd(20)} ${median(values).toFixed(0)} ms  ${(median(values) / floor).toFixed(2)}x`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
