// Test generation for 1,000 TypeScript files (zod's own sources, copied
// round-robin), against a raw parse of the same texts with the TypeScript
// compiler API in the same process. bench/test-generation.ts is bundled to
// bench/.out/test-generation.mjs (ts-morph, prettier and typescript left
// external, as in the CLI) and run in a fresh process per repetition.
// Targets: analysis at most 3x the raw parse; with prettier, at least 100
// files per second. Worker threads are measured for information.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { build } from 'esbuild';

const FILES = 1000;
const REPS = 3;

/** Run the part; `h` holds run.mjs's helpers (section, line, addSummary, median, fmt, x, verdict, results). */
export async function testGenerationBench(h) {
  const bundle = path.join(h.out, 'test-generation.mjs');
  await build({
    entryPoints: [path.join(h.benchDir, 'test-generation.ts')],
    outfile: bundle,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    external: ['ts-morph', 'prettier', 'typescript'],
    logLevel: 'warning',
  });
  const runs = [];
  for (let i = 0; i < REPS; i++) {
    const result = spawnSync(process.execPath, [bundle, JSON.stringify({ files: FILES, workers: 2 })], { cwd: h.repo, encoding: 'utf8', maxBuffer: 1 << 24 });
    if (result.status !== 0) throw new Error(`test-generation bench failed:\n${result.stderr}`);
    runs.push(JSON.parse(result.stdout.trim().split('\n').pop()));
  }
  const med = (k) => h.median(runs.map((r) => r[k]));
  const pick = (k) => runs.map((r) => r[k]);
  const [raw, analysis, render, format, workers] = [med('rawMs'), med('analysisMs'), med('renderMs'), med('formatMs'), med('workersMs')];
  const perSecond = (ms) => (FILES * 1000) / ms;
  const first = runs[0];
  h.section(
    `6. Test generation: ${FILES.toLocaleString('en')} TypeScript files (${first.distinctFiles} distinct sources of zod, ${(first.sourceBytes / 1e6).toFixed(1)} MB), median of ${REPS}, fresh process each; ts-morph loads in ${h.fmt(med('loadMs'))} ms before`,
  );
  h.line('baseline', 'ts.createSourceFile on every file (raw parse)', pick('rawMs'), `${h.fmt(perSecond(raw))} files/s`);
  const ratio = analysis / raw;
  h.line('ours', 'analysis (ts-morph, no type-checking)', pick('analysisMs'), `${h.x(ratio)} the raw parse; target <= 3x  ${h.verdict(ratio <= 3)}`);
  h.line('ours', 'analysis + tests rendered, no prettier', pick('renderMs'), `${h.fmt(perSecond(render))} files/s`);
  h.line('ours', 'analysis + tests rendered + prettier, one thread', pick('formatMs'), `${h.fmt(perSecond(format))} files/s; target >= 100 files/s  ${h.verdict(perSecond(format) >= 100)}`);
  h.line('ours', `the same in ${first.workers} worker threads (information)`, pick('workersMs'), `${h.fmt(perSecond(workers))} files/s`);
  h.addSummary('6. test generation: analysis vs raw parse', `raw parse: ${h.fmt(raw)} ms`, `${h.fmt(analysis)} ms`, h.x(ratio), '<= 3x', ratio <= 3);
  h.addSummary('6. test generation with prettier', `${FILES} files`, `${h.fmt(format)} ms`, `${h.fmt(perSecond(format))} files/s`, '>= 100 files/s', perSecond(format) >= 100);
  h.results.benchmarks.testGeneration = { files: FILES, rawMs: raw, analysisMs: analysis, renderMs: render, formatMs: format, workersMs: workers, ratio, runs };
}
