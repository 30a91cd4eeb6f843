import type { Plugin } from 'esbuild';

/**
 * Bundle the CLI from the sources into `outdir`; `plugins` run after the build's own (tests use them to swap a module);
 * `sourcemap: false` leaves the source maps out (default: written beside the bundle).
 */
export function buildCli(outdir: string, options?: { logLevel?: 'silent' | 'warning'; plugins?: Plugin[]; sourcemap?: boolean }): Promise<void>;
