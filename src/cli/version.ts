/** The version `orchestrate --version` prints: set when bundled, else read from the package.json beside the sources. */
import { readFileSync } from 'node:fs';

/** Set by the bundler (scripts/build.mjs) from package.json. */
declare const __ORCHESTRATE_VERSION__: string | undefined;

/** The version of this build. */
export function orchestrateVersion(): string {
  if (typeof __ORCHESTRATE_VERSION__ === 'string') return __ORCHESTRATE_VERSION__;
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
