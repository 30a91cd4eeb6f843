/**
 * The CLI bundled from today's sources with the test_generation handler's
 * body (handlers/test-generation/run.ts, imported by the handler's parts.ts) replaced by a stand-in, so an
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
  const handlerParts = path.join('handlers', 'test-generation', 'parts.ts');
  await buildCli(outdir, {
    logLevel: 'silent',
    plugins: [
      {
        name: 'test-generation-stand-in',
        setup(build) {
          let replaced = false;
          build.onResolve({ filter: /^\.\/run\.js$/ }, (args) => {
            if (!args.importer.endsWith(handlerParts)) return undefined;
            replaced = true;
            return { path: standIn };
          });
          // The stand-in must replace the body: a build where nothing imports run.js from parts.ts fails here, not in a test.
          build.onEnd((result) => {
            if (result.errors.length === 0 && !replaced) throw new Error(`${handlerParts} no longer imports ./run.js: the stand-in was not put in`);
          });
        },
      },
    ],
  });
  return path.join(outdir, 'cli.js');
}
