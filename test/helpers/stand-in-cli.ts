/**
 * The CLI bundled from today's sources with the test_generation handler's
 * body (handlers/test-generation/run.ts) replaced by a stand-in, so an
 * end-to-end test can drive a long task whose pace and output it controls
 * through the real entry, engine, state store, git check and reporters.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { buildCli } from '../../scripts/build.mjs';

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Bundle the CLI with `standIn` (a module exporting `runTestGeneration`) as the test_generation handler's body; resolves to the entry. */
export async function cliWithStandIn(standIn: string): Promise<string> {
  const cacheDir = fileURLToPath(new URL('../../node_modules/.cache', import.meta.url));
  fs.mkdirSync(cacheDir, { recursive: true });
  const outdir = fs.mkdtempSync(path.join(cacheDir, 'orchestrate-cli-stand-in-'));
  made.push(outdir);
  const handlerIndex = path.join('handlers', 'test-generation', 'index.ts');
  await buildCli(outdir, {
    logLevel: 'silent',
    plugins: [
      {
        name: 'test-generation-stand-in',
        setup(build) {
          build.onResolve({ filter: /^\.\/run\.js$/ }, (args) => (args.importer.endsWith(handlerIndex) ? { path: standIn } : undefined));
        },
      },
    ],
  });
  return path.join(outdir, 'cli.js');
}
