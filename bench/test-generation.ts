/**
 * In-process benchmark of test generation for TS sources: 1,000 files (zod's
 * own sources from node_modules, copied round-robin under new names),
 * measured against a raw parse of the same texts with the TypeScript compiler
 * API (`ts.createSourceFile`) in the same process. bench/run.mjs bundles this
 * file to bench/.out/test-generation.mjs and runs it in a fresh process; it
 * prints one JSON line. Verification (running jest or vitest) is not part of
 * it: that is the runner's time, not ours.
 *
 *   node bench/.out/test-generation.mjs '{"files":1000,"workers":2}'
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import ts from 'typescript';
import { analyzeSource, loadAnalyzer } from '../handlers/test-generation/analyze.js';
import { buildBlocks } from '../handlers/test-generation/blocks.js';
import { formatCode } from '../handlers/test-generation/format.js';
import { pickKind, importSpecifier } from '../handlers/test-generation/generate-ts.js';
import { renderFile } from '../handlers/test-generation/test-file.js';

interface Source {
  name: string;
  text: string;
}

/** The corpus: every .ts file of zod's src/ (no .d.ts, no tests), repeated to `count` files. */
function corpus(count: number, repo: string): Source[] {
  const dir = path.join(repo, 'node_modules', 'zod', 'src');
  const files = (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !/(^|\/)tests?\//.test(f) && !/\.test\.ts$/.test(f))
    .sort()
    .map((f) => ({ name: f, text: readFileSync(path.join(dir, f), 'utf8') }));
  if (files.length === 0) throw new Error(`no sources under ${dir}`);
  return Array.from({ length: count }, (_, i) => {
    const file = files[i % files.length] as Source;
    return { name: `src/copy${Math.floor(i / files.length)}/${file.name}`, text: file.text };
  });
}

function rawParse(sources: Source[]): number {
  const started = performance.now();
  let nodes = 0;
  for (const s of sources) nodes += ts.createSourceFile(s.name, s.text, ts.ScriptTarget.Latest, true).statements.length;
  if (nodes < 0) throw new Error('unreachable');
  return performance.now() - started;
}

function analyse(sources: Source[]): number {
  const started = performance.now();
  for (const s of sources) analyzeSource(s.name, s.text);
  return performance.now() - started;
}

/** Analyse, build blocks and render each file; with `format`, also prettier. Returns the texts' total size. */
async function generate(sources: Source[], format: boolean, root: string): Promise<number> {
  let bytes = 0;
  for (const s of sources) {
    const analysis = analyzeSource(s.name, s.text);
    if (analysis.syntaxErrors.length > 0) continue;
    const testFile = s.name.replace(/([^/]+)\.ts$/, '__tests__/$1.test.ts');
    const style = { framework: 'vitest' as const, esm: true, jsSuffix: false, jestGlobals: false };
    const importPath = importSpecifier(testFile, s.name, style);
    const kind = pickKind(analysis, 'auto', s.name);
    const blocks = buildBlocks(analysis, { kind, api: 'vi', importPath });
    if (blocks.length === 0) continue;
    let text = renderFile(blocks, { source: s.name, framework: 'vitest', jestGlobals: false, kind, importPath, mocks: [] });
    if (format) text = await formatCode(text, path.join(root, testFile));
    bytes += text.length;
  }
  return bytes;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as { files?: number; workers?: number };
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const count = options.files ?? 1000;
  const sources = corpus(count, repo);
  const sourceBytes = sources.reduce((n, s) => n + s.text.length, 0);

  const loadStarted = performance.now();
  await loadAnalyzer();
  const loadMs = performance.now() - loadStarted;
  // Warm both parsers on a few files first, so that neither pays for JIT warm-up in the figure.
  rawParse(sources.slice(0, 20));
  analyse(sources.slice(0, 20));
  const rawMs = rawParse(sources);
  const analysisMs = analyse(sources);
  const rawMs2 = rawParse(sources);
  const analysisMs2 = analyse(sources);

  let started = performance.now();
  await generate(sources, false, repo);
  const renderMs = performance.now() - started;

  started = performance.now();
  const outputBytes = await generate(sources, true, repo);
  const formatMs = performance.now() - started;

  const workers = options.workers ?? Math.min(2, os.availableParallelism());
  started = performance.now();
  await inWorkers(sources, workers);
  const workersMs = performance.now() - started;

  console.log(
    JSON.stringify({
      files: count,
      distinctFiles: new Set(sources.map((s) => s.text)).size,
      sourceBytes,
      outputBytes,
      loadMs,
      rawMs: Math.min(rawMs, rawMs2),
      analysisMs: Math.min(analysisMs, analysisMs2),
      renderMs,
      formatMs,
      workers,
      workersMs,
    }),
  );
}

/** Formatted generation split over worker threads (each loads ts-morph and prettier itself; that load is counted). */
async function inWorkers(sources: Source[], workers: number): Promise<void> {
  const file = fileURLToPath(import.meta.url);
  const chunks = Array.from({ length: workers }, (_, w) => sources.filter((_, i) => i % workers === w));
  await Promise.all(
    chunks.map(
      (chunk) =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(file, { workerData: { sources: chunk } });
          worker.once('message', () => resolve());
          worker.once('error', reject);
        }),
    ),
  );
}

if (isMainThread) {
  await main();
} else {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  await loadAnalyzer();
  await generate((workerData as { sources: Source[] }).sources, true, repo);
  parentPort?.postMessage('done');
}
