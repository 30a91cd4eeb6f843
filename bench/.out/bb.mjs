import { build } from 'esbuild';
await build({ entryPoints: { engine: 'bench/engine.ts' }, outdir: 'bench/.out', outExtension: { '.js': '.mjs' }, bundle: true, format: 'esm', platform: 'node', target: 'node20.19', packages: 'external', logLevel: 'warning' });
