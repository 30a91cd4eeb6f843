/**
 * What the source's other tests already reach, for a gap task: the target's
 * runner runs every test related to the source (Jest's --findRelatedTests),
 * except the gap file itself, with istanbul instrumentation, and a set-up
 * file added to the project's own writes each test file's raw counters, so
 * the statements, branches and functions they reached have the keys the
 * probe uses. (coverage-final.json will not do: Jest maps it back to the
 * TypeScript source, where the statements are numbered differently.)
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { findRunner, runNode } from '../verify.js';
import type { ExploreRequest } from './index.js';
import { instrumentedGlob } from './probe.js';

interface FileCoverage {
  s?: Record<string, number>;
  f?: Record<string, number>;
  b?: Record<string, number[]>;
}

/** Coverage keys reached by the source's related tests; empty when they cannot be run. */
export async function coveredByOtherTests(request: ExploreRequest, scratch: string): Promise<Set<string>> {
  const reached = new Set<string>();
  if (request.style.framework !== 'jest') return reached;
  const dir = path.join(scratch, 'related');
  const runner = findRunner(request.root, 'jest');
  const ignore = path.posix.basename(request.testFile).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const counters = path.join(scratch, 'related-counters.jsonl');
  const setup = path.join(scratch, 'orchestrate-counters.cjs');
  await writeFile(setup, `afterAll(() => { require('node:fs').appendFileSync(${JSON.stringify(counters)}, JSON.stringify(globalThis.__coverage__ ?? {}) + '\\n'); });\n`);
  const theirs = await projectSetupFiles(request, runner);
  const args = [
    ...(request.style.esm ? ['--experimental-vm-modules'] : []),
    runner, '--ci', '--watchman=false', '--rootDir', request.root,
    '--findRelatedTests', path.join(request.root, ...request.source.split('/')),
    '--testPathIgnorePatterns', `${ignore}$`, '/node_modules/',
    '--coverage', '--coverageReporters=json', `--coverageDirectory=${dir}`, `--collectCoverageFrom=${instrumentedGlob(request.source)}`, '--coverageThreshold={}',
    '--passWithNoTests',
    '--setupFilesAfterEnv', ...theirs, setup,
  ];
  await runNode(args, request.root, AbortSignal.any([request.signal, AbortSignal.timeout(10 * 60_000)]));
  request.signal.throwIfAborted();
  let runs: Record<string, FileCoverage>[];
  try {
    runs = (await readFile(counters, 'utf8')).split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, FileCoverage>);
  } catch {
    request.log(`${request.source}: could not read what its other tests cover; every scenario that adds coverage of its own is kept`);
    return reached;
  }
  for (const data of runs) {
    for (const [file, coverage] of Object.entries(data)) {
      for (const [id, count] of Object.entries(coverage.s ?? {})) if (count > 0) reached.add(`${file}|s${id}`);
      for (const [id, count] of Object.entries(coverage.f ?? {})) if (count > 0) reached.add(`${file}|f${id}`);
      for (const [id, arms] of Object.entries(coverage.b ?? {})) arms.forEach((count, arm) => count > 0 && reached.add(`${file}|b${id}.${arm}`));
    }
  }
  return reached;
}

/** The project's own setupFilesAfterEnv, which a --setupFilesAfterEnv on the command line would otherwise replace. */
async function projectSetupFiles(request: ExploreRequest, runner: string): Promise<string[]> {
  const run = await runNode([...(request.style.esm ? ['--experimental-vm-modules'] : []), runner, '--showConfig', '--rootDir', request.root], request.root, request.signal);
  const start = run.output.indexOf('{');
  try {
    const config = JSON.parse(run.output.slice(start)) as { configs?: { setupFilesAfterEnv?: string[] }[] };
    return config.configs?.[0]?.setupFilesAfterEnv ?? [];
  } catch {
    return [];
  }
}
