/**
 * What the composition root hands the CLI: the world the commands work in.
 * The commands never import handlers/; they get the built-in registry here.
 */
import type { HandlerRegistry } from '../engine/registry.js';

export interface CliContext {
  /** The built-in handlers, registered once per process (a plan's plugins are added per plan). */
  builtIns(): Promise<HandlerRegistry>;
}
