/**
 * Reading the settings files: the user's
 * (`$XDG_CONFIG_HOME/orchestrate/config.yaml`, default `~/.config/...`) and
 * the target repository's (`.orchestrate/config.yaml`) as layers. A file that is absent
 * is no layer; a file with problems is a ConfigError with every one located.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError, UserError } from '../errors.js';
import type { SettingSource, SettingsLayer } from './layers.js';
import type { SettingsFile } from './schema.js';

export { REPOSITORY_SETTINGS, userSettingsPath } from './paths.js';

/** Read and check a settings file from disk; undefined when there is none. */
export async function readSettingsFile(absolute: string, display: string): Promise<SettingsFile | undefined> {
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new UserError(`cannot read the settings file ${display} (${code ?? String(error)})`, { hint: 'check that it is a readable file' });
  }
  return checkSettingsText(text, display);
}

/** Check a settings file's text; throws ConfigError with every located problem. */
export async function checkSettingsText(text: string, display: string): Promise<SettingsFile> {
  // The YAML parser and the settings schema are loaded only when there is a file to check.
  const { parseSettings } = await import('./parse-settings.js');
  const parsed = parseSettings(display, text);
  if (!parsed.ok) throw new ConfigError(parsed.diagnostics);
  return parsed.settings;
}

/** A settings file as a layer. */
export function fileLayer(source: SettingSource, origin: string, file: SettingsFile): SettingsLayer {
  const { $schema: _schema, untrusted, ...values } = file;
  return { source, origin, values, untrusted };
}
