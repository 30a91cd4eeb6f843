/**
 * Colour is decided before any command runs (the first message may be an
 * error), so its layers are read here, synchronously and forgivingly: the
 * environment (ORCHESTRATE_COLOR, NO_COLOR), else the repository's settings
 * file (the working tree of --cwd or here), else the user's. A file with
 * problems is reported by the command that reads the settings properly. The
 * YAML parser is loaded only for a settings file that names `color`: most
 * runs have no settings file, and loading it costs more than the command.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPOSITORY_SETTINGS, userSettingsPath } from './paths.js';

type Env = Record<string, string | undefined>;

/** true/false when a layer below the flag decides, undefined to leave it to the terminal. */
export async function colourSetting(env: Env, processCwd: string, cwd: string | undefined): Promise<boolean | undefined> {
  const fromEnv = envColour(env);
  if (fromEnv !== undefined) return fromEnv.value;
  const repository = path.join(path.resolve(processCwd, cwd ?? '.'), REPOSITORY_SETTINGS);
  for (const file of [repository, userSettingsPath(env)]) {
    const colour = await readColour(file);
    if (colour !== undefined) return colour;
  }
  return undefined;
}

async function readColour(file: string): Promise<boolean | undefined> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  // A file that never spells `color` (nor escapes a character, as a quoted key could) cannot set it.
  if (!text.includes('color') && !text.includes('\\')) return undefined;
  try {
    const { parse } = yamlExports(await import('yaml'));
    // Only `color` is wanted; the schema check is the command's (and keeps zod off the start-up path).
    const data = parse(text) as { color?: unknown } | null;
    return typeof data?.color === 'boolean' ? data.color : undefined;
  } catch {
    return undefined;
  }
}

/** The yaml module's exports: the namespace under node, its `default` where a bundle wraps the CommonJS build. */
function yamlExports(loaded: typeof import('yaml')): typeof import('yaml') {
  return typeof loaded.parse === 'function' ? loaded : (loaded as unknown as { default: typeof import('yaml') }).default;
}

/** ORCHESTRATE_COLOR (a bad value is left for the command to report), else NO_COLOR. */
export function envColour(env: Env): { value: boolean; origin: string } | undefined {
  const text = env.ORCHESTRATE_COLOR?.trim();
  const value = text ? parseBoolean(text) : undefined;
  if (value !== undefined) return { value, origin: 'ORCHESTRATE_COLOR' };
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return { value: false, origin: 'NO_COLOR' };
  return undefined;
}

/** 1/true/yes/on and 0/false/no/off, any case. */
export function parseBoolean(text: string): boolean | undefined {
  if (/^(1|true|yes|on)$/i.test(text)) return true;
  if (/^(0|false|no|off)$/i.test(text)) return false;
  return undefined;
}
