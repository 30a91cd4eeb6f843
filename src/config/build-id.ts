/**
 * Which orchestrate this is, for what it keeps across runs: the version and
 * the build (a hash of the bundled sources and locked dependencies, written in
 * at build time), and the Node version. Run from the sources, both read "source".
 */
declare const __ORCHESTRATE_VERSION__: string | undefined;
declare const __ORCHESTRATE_BUILD__: string | undefined;

/** The identity a plan cache entry must carry to be used. */
export const BUILD_ID = [
  typeof __ORCHESTRATE_VERSION__ === 'string' ? __ORCHESTRATE_VERSION__ : 'source',
  typeof __ORCHESTRATE_BUILD__ === 'string' ? __ORCHESTRATE_BUILD__ : 'source',
  `node ${process.version}`,
].join(' ');
