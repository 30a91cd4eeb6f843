/** Where the settings files live: the user's, under XDG_CONFIG_HOME (default ~/.config), and a repository's. */
import os from 'node:os';
import path from 'node:path';

/** A repository's settings file, relative to the target root. */
export const REPOSITORY_SETTINGS = '.orchestrate/config.yaml';

/** The user's settings file. */
export function userSettingsPath(env: Record<string, string | undefined>): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'orchestrate', 'config.yaml');
}
