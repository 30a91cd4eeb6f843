// Bundles the CLI into dist/ so that start-up reads a few files instead of
// resolving hundreds of modules; heavy modules stay in lazily loaded chunks.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS dependencies call require() for node built-ins.
  banner: {
    js: [
      "import { createRequire as __orchestrateCreateRequire } from 'node:module';",
      "import { fileURLToPath as __orchestrateFileUrlToPath } from 'node:url';",
      'const require = __orchestrateCreateRequire(import.meta.url);',
      'const __filename = __orchestrateFileUrlToPath(import.meta.url);',
    ].join('\n'),
  },
  // Packages that locate files relative to themselves at run time stay external.
  external: ['ts-morph', 'prettier', 'typescript', 'ink', 'react', 'yoga-layout'],
  logLevel: 'warning',
});
