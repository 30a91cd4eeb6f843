/** Bundle the CLI from the sources into `outdir`. */
export function buildCli(outdir: string, options?: { logLevel?: 'silent' | 'warning' }): Promise<void>;
