/**
 * What the composition root hands the CLI: the world the commands work in,
 * the same one the programmatic API is bound to. Commands call the API's
 * functions with it; they never import handlers/.
 */
export type { ApiWorld as CliContext } from '../api/options.js';
