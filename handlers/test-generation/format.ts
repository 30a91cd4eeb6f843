/** Formats generated test code with prettier and the target's own prettier config, as the target formats its files. */
import { UserError, errorMessage } from '../../src/errors.js';

/** Format `text` as the file at `absolutePath` would be formatted in the target. */
export async function formatCode(text: string, absolutePath: string): Promise<string> {
  const prettier = await import('prettier');
  const parser = /\.[cm]?tsx?$/.test(absolutePath) ? 'typescript' : 'babel';
  const config = await prettier.resolveConfig(absolutePath).catch((error: unknown) => {
    throw new UserError(`could not read the prettier config for ${absolutePath}: ${errorMessage(error).split('\n')[0]}`, {
      retryable: false,
      cause: error,
      hint: "Fix the target's prettier config (.prettierrc, or the prettier key of package.json).",
    });
  });
  return prettier.format(text, { ...(config ?? {}), parser, filepath: absolutePath });
}
