/**
 * The `ORCHESTRATE_*` environment variables as a settings layer. A value that
 * does not parse is a UserError naming the variable, never ignored.
 */
import { parseDuration } from '../config/duration.js';
import { UserError } from '../errors.js';
import { REPORTER_NAMES } from '../ui/reporter.js';
import { envColour, parseBoolean } from './colour.js';
import type { SettingKey, SettingsLayer, SettingValues } from './layers.js';
import { TRUST_LEVELS } from './trust-levels.js';

type Env = Record<string, string | undefined>;

/** The variable of each setting. */
export const ENV_NAMES: Record<SettingKey, string> = {
  reporter: 'ORCHESTRATE_REPORTER',
  color: 'ORCHESTRATE_COLOR',
  concurrency: 'ORCHESTRATE_CONCURRENCY',
  retries: 'ORCHESTRATE_RETRIES',
  timeout: 'ORCHESTRATE_TIMEOUT',
  author: 'ORCHESTRATE_AUTHOR',
  labels: 'ORCHESTRATE_LABELS',
  reviewers: 'ORCHESTRATE_REVIEWERS',
  trust: 'ORCHESTRATE_TRUST',
};

/** Read the environment; empty variables count as unset. */
export function envLayer(env: Env): SettingsLayer {
  const values: SettingValues = {};
  const origin: Partial<Record<SettingKey, string>> = {};
  const read = (key: SettingKey): string | undefined => {
    const text = env[ENV_NAMES[key]]?.trim();
    if (text === undefined || text === '') return undefined;
    origin[key] = ENV_NAMES[key];
    return text;
  };
  const bad = (key: SettingKey, text: string, expected: string): never => {
    throw new UserError(`${ENV_NAMES[key]}=${text} is not ${expected}`, { hint: `set ${ENV_NAMES[key]} to ${expected}, or unset it` });
  };

  const reporter = read('reporter');
  if (reporter !== undefined) {
    if (!(REPORTER_NAMES as readonly string[]).includes(reporter)) bad('reporter', reporter, `one of ${REPORTER_NAMES.join(', ')}`);
    values.reporter = reporter as SettingValues['reporter'];
  }
  const color = read('color');
  if (color !== undefined && parseBoolean(color) === undefined) bad('color', color, 'true or false');
  const colour = envColour(env);
  if (colour) {
    values.color = colour.value;
    origin.color = colour.origin;
  }
  for (const key of ['concurrency', 'retries'] as const) {
    const text = read(key);
    if (text === undefined) continue;
    const n = Number(text);
    const least = key === 'concurrency' ? 1 : 0;
    if (!/^\d+$/.test(text) || n < least) bad(key, text, `a whole number of at least ${least}`);
    values[key] = n;
  }
  const timeout = read('timeout');
  if (timeout !== undefined) values.timeout = parseDuration(timeout) ?? bad('timeout', timeout, 'a duration such as 30s, 10m or 1h');
  const author = read('author');
  if (author !== undefined) values.author = /^[^<>]+<[^<>]*>$/.test(author) ? author : bad('author', author, 'of the form "Name <email>"');
  for (const key of ['labels', 'reviewers'] as const) {
    const text = read(key);
    if (text !== undefined) values[key] = text.split(',').map((item) => item.trim()).filter(Boolean);
  }
  const trust = read('trust');
  if (trust !== undefined) {
    if (!(TRUST_LEVELS as readonly string[]).includes(trust)) bad('trust', trust, `one of ${TRUST_LEVELS.join(', ')}`);
    values.trust = trust as SettingValues['trust'];
  }
  return { source: 'env', origin, values };
}
