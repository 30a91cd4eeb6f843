import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// ./setup.sh puts pytest, pytest-cov and coverage.py into .venv when no python3 has them:
// the tests then find that python3 first on PATH.
const venvBin = path.join(import.meta.dirname, '.venv', 'bin');
const venv = fs.existsSync(path.join(venvBin, 'python3')) ? { PATH: `${venvBin}${path.delimiter}${process.env['PATH'] ?? ''}` } : {};
// Every CLI the tests start caches its plans in a folder of this run's own, never the user's cache.
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-test-cache-'));
process.on('exit', () => fs.rmSync(cacheDir, { recursive: true, force: true }));
const env = { ...venv, ORCHESTRATE_CACHE_DIR: cacheDir };

export default defineConfig({
  // As tsconfig.json's `paths`: the built-in handlers, which the composition root in entry/ loads.
  resolve: { alias: { '#built-in-handlers': path.join(import.meta.dirname, 'handlers', 'built-in.ts') } },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'handlers/**/*.test.ts', 'examples/plugins/**/*.test.ts'],
    // Guards against a hang, not speed checks: a test that runs the CLI a few times
    // takes minutes on a two-core machine busy with other work (another suite, a build).
    testTimeout: 240_000,
    hookTimeout: 240_000,
    // Tests spawn real processes; two cores, so keep the worker count small.
    maxWorkers: 2,
    env,
  },
});
