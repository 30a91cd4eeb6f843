/**
 * What the source's other tests already reach, for a gap task: the target's
 * runner runs every test related to the source (Jest's --findRelatedTests,
 * Vitest's `related`), except the gap file itself, with istanbul coverage,
 * and the statements, branches and functions they reached are read from
 * coverage-final.json under the same keys the probe uses.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { findRunner, runNode } from '../verify.js';
import type { ExploreRequest } from './index.js';

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
  const top = request.source.includes('/') ? request.source.split('/')[0] : '.';
  const runner = findRunner(request.root, 'jest');
  const ignore = path.posix.basename(request.testFile).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const args = [
    ...(request.style.esm ? ['--experimental-vm-modules'] : []),
    runner, '--ci', '--watchman=false', '--rootDir', request.root,
    '--findRelatedTests', path.join(request.root, ...request.source.split('/')),
    '--testPathIgnorePatterns', `${ignore}$`, '/node_modules/',
    '--coverage', '--coverageReporters=json', `--coverageDirectory=${dir}`, `--collectCoverageFrom=${top}/**/*.{ts,tsx,js,jsx,mts,cts,mjs,cjs}`, '--coverageThreshold={}',
    '--passWithNoTests',
  ];
  await runNode(args, request.root, AbortSignal.any([request.signal, AbortSignal.timeout(10 * 60_000)]));
  let data: Record<string, FileCoverage>;
  try {
    data = JSON.parse(await readFile(path.join(dir, 'coverage-final.json'), 'utf8')) as Record<string, FileCoverage>;
  } catch {
    request.log(`${request.source}: could not read what its other tests cover; every scenario that adds coverage of its own is kept`);
    return reached;
  }
  for (const [file, coverage] of Object.entries(data)) {
    for (const [id, count] of Object.entries(coverage.s ?? {})) if (count > 0) reached.add(`${file}|s${id}`);
    for (const [id, count] of Object.entries(coverage.f ?? {})) if (count > 0) reached.add(`${file}|f${id}`);
    for (const [id, arms] of Object.entries(coverage.b ?? {})) arms.forEach((count, arm) => count > 0 && reached.add(`${file}|b${id}.${arm}`));
  }
  return reached;
}
