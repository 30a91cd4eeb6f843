// Bundles the CLI into dist/ so that start-up reads a few files instead of
// resolving hundreds of modules; heavy modules stay in lazily loaded chunks.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { rename, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * zod's namespace export pulls in every message locale (~60 languages) that
 * the CLI never uses; the namespace import defeats tree-shaking, so the locale
 * index is replaced by English alone. Halves the bytes parsed at start-up.
 */
const englishOnlyZod = {
  name: 'english-only-zod',
  setup(b) {
    b.onResolve({ filter: /\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${'node_modules'}/zod/`) ? { path: 'zod-locales', namespace: 'zod-locales' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, () => ({
      contents: "export { default as en } from 'zod/v4/locales/en.js';",
      resolveDir: fileURLToPath(new URL('..', import.meta.url)),
      loader: 'js',
    }));
  },
};

/**
 * yoga-layout's Emscripten loader gets its inlined wasm with `fetch` of a
 * `data:` URL whenever `fetch` exists, which in Node loads the whole of
 * undici (about 30 ms before the first frame of the live tree). The loader is
 * rewritten to decode the same base64 with Buffer and hand the bytes to
 * WebAssembly.instantiate. A yoga release whose loader no longer has that
 * function fails the build here rather than silently fetching again.
 */
const yogaWasmWithoutFetch = {
  name: 'yoga-wasm-without-fetch',
  setup(b) {
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const loader = 'function ya(){';
      const prefix = 'H="data:application/octet-stream;base64,';
      if (source.split(loader).length !== 2 || !source.includes(prefix)) {
        throw new Error(`${args.path}: yoga's wasm loader has changed; update yogaWasmWithoutFetch in scripts/build.mjs`);
      }
      const bytes = `function ya(){return Promise.resolve(Buffer.from(H.slice(${prefix.length - 3}),"base64"))}function ya_fetch(){`;
      return { contents: source.replace(loader, bytes), loader: 'js' };
    });
  },
};

/**
 * An identity of what gets bundled: the sources and the locked dependencies.
 * Caches the CLI keeps across runs (the plan cache) are valid for one build
 * only, since a change to a handler's schema changes what a plan loads to.
 */
function buildId() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.(ts|tsx|js|mjs|json)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) hash.update(`${path.relative(root, file)}\0`).update(readFileSync(file));
    }
  };
  for (const dir of ['src', 'handlers', 'entry']) walk(path.join(root, dir));
  for (const file of ['package.json', 'package-lock.json']) hash.update(readFileSync(path.join(root, file)));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Bundle the CLI (cli.js) and the programmatic API (index.js) from the sources
 * into `outdir` (the tests build their own copy with it, some with extra
 * esbuild plugins). They share chunks; `#built-in-handlers` resolves through
 * tsconfig.json's `paths`. Source maps are written beside
 * the bundle unless `sourcemap` is false, as for the published package.
 */
export async function buildCli(outdir, options = {}) {
  await build({
  entryPoints: {
    cli: fileURLToPath(new URL('../entry/cli.ts', import.meta.url)),
    index: fileURLToPath(new URL('../entry/index.ts', import.meta.url)),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  sourcemap: options.sourcemap === false ? false : 'linked',
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
  // Ink, React and yoga-layout are bundled: only the Ink reporter imports them,
  // lazily, so they land in a chunk of their own, which loads in about half the
  // time of resolving their hundred-odd files from node_modules (yoga's wasm is
  // inlined as base64 in its JS, so nothing is looked up beside it). Ink's
  // devtools, imported only when DEV=true, needs a package we do not ship.
  external: ['ts-morph', 'prettier', 'typescript', 'react-devtools-core'],
  logLevel: options.logLevel ?? 'warning',
  minify: true,
  plugins: [englishOnlyZod, yogaWasmWithoutFetch, ...(options.plugins ?? [])],
  // `--version` must not depend on finding a package.json from where the CLI is run.
  define: {
    __ORCHESTRATE_VERSION__: JSON.stringify(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version),
    __ORCHESTRATE_BUILD__: JSON.stringify(buildId()),
  },
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // `--release` (npm pack and npm publish, through prepack) leaves the source
  // maps out: their sources are this checkout's files, which the package does
  // not carry, and they would triple its size.
  const release = process.argv.includes('--release');
  // Build beside dist/ and swap it in, so that a process reading dist/ while
  // another build runs sees the old bundle or the new one, never half of each.
  const dist = fileURLToPath(new URL('../dist', import.meta.url));
  const fresh = `${dist}.build-${process.pid}`;
  const stale = `${dist}.old-${process.pid}`;
  await rm(fresh, { recursive: true, force: true });
  await buildCli(fresh, { sourcemap: !release });
  // The API's types (dist/types/entry/index.d.ts): declarations only, from the API's own module graph.
  const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
  execFileSync(process.execPath, [tsc, '-p', fileURLToPath(new URL('../tsconfig.api.json', import.meta.url)), '--outDir', `${fresh}/types`], { stdio: 'inherit' });
  await rename(dist, stale).catch((error) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(fresh, dist);
  await rm(stale, { recursive: true, force: true });
}
