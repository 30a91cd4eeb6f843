/** Formats generated test code with prettier and the target's own prettier config, as the target formats its files. */
import path from 'node:path';
import type { Options } from 'prettier';
import { UserError, errorMessage } from '../../src/errors.js';

/** Config per directory: a task formats many files in few directories, and resolving walks up the tree each time. */
const configs = new Map<string, Promise<Options | null>>();

/** Format `text` as the file at `absolutePath` would be formatted in the target. */
export async function formatCode(text: string, absolutePath: string): Promise<string> {
  const prettier = await import('prettier');
  // babel-ts prints TypeScript the same as the typescript parser and parses the simple code we generate faster.
  const parser = /\.[cm]?tsx?$/.test(absolutePath) ? 'babel-ts' : 'babel';
  const dir = path.dirname(absolutePath);
  let config = configs.get(dir);
  if (config === undefined) {
    config = prettier.resolveConfig(absolutePath).catch((error: unknown) => {
      configs.delete(dir);
      throw new UserError(`could not read the prettier config for ${absolutePath}: ${errorMessage(error).split('\n')[0]}`, {
        retryable: false,
        cause: error,
        hint: "Fix the target's prettier config (.prettierrc, or the prettier key of package.json).",
      });
    });
    configs.set(dir, config);
  }
  return prettier.format(text, { ...((await config) ?? {}), parser, filepath: absolutePath });
}
