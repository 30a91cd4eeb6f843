/**
 * Merges settings layers into effective settings, remembering where each
 * value came from. Precedence, lowest first: built-in default, user file,
 * GitHub event (trust only), repository file, plan `defaults`, environment,
 * flags. Trust is the exception: a layer the target repository controls
 * (its settings file, the plan) may only lower it, never raise it.
 */
import type { TrustLevel, UntrustedAllow } from './schema.js';

export type SettingSource = 'default' | 'user' | 'github-event' | 'repository' | 'default-branch' | 'plan' | 'env' | 'flag';

export interface SettingValues {
  reporter?: 'ink' | 'plain' | 'json' | 'github' | undefined;
  color?: boolean | undefined;
  concurrency?: number | undefined;
  retries?: number | undefined;
  /** Milliseconds. */
  timeout?: number | undefined;
  author?: string | undefined;
  labels?: string[] | undefined;
  reviewers?: string[] | undefined;
  trust?: TrustLevel | undefined;
}

export type SettingKey = keyof SettingValues;
export const SETTING_KEYS: readonly SettingKey[] = ['reporter', 'color', 'concurrency', 'retries', 'timeout', 'author', 'labels', 'reviewers', 'trust'];

export interface SettingsLayer {
  source: SettingSource;
  /** The file, variable or flag, for `orchestrate config`; per key when a layer has several (the environment). */
  origin: string | Partial<Record<SettingKey, string>>;
  values: SettingValues;
  /** Exceptions for untrusted plans; honoured from the user file and the default branch only. */
  untrusted?: UntrustedAllow | undefined;
}

export interface Resolved<T> {
  value: T;
  source: SettingSource;
  origin: string;
}

export type EffectiveSettings = { [K in SettingKey]: Resolved<SettingValues[K]> } & {
  trust: Resolved<TrustLevel>;
  /** The untrusted exceptions in force, with the files they came from. */
  untrusted: { allow: Required<UntrustedAllow>; origins: string[] };
};

/**
 * Sources that may only lower trust: what the target repository (and so a
 * pull request) controls, and the repository file even as the default branch
 * has it, so that one rule holds for a repository file wherever it is read.
 */
const REPOSITORY_CONTROLLED: ReadonlySet<SettingSource> = new Set(['repository', 'default-branch', 'plan']);

/** Merge layers given lowest precedence first. */
export function mergeSettings(layers: readonly SettingsLayer[]): EffectiveSettings {
  const out = Object.fromEntries(SETTING_KEYS.map((key) => [key, { value: undefined, source: 'default', origin: 'built-in' }])) as unknown as EffectiveSettings;
  out.trust = { value: 'trusted', source: 'default', origin: 'built-in' };
  for (const layer of layers) {
    for (const key of SETTING_KEYS) {
      const value = layer.values[key];
      if (value === undefined) continue;
      if (key === 'trust' && REPOSITORY_CONTROLLED.has(layer.source) && value === 'trusted') continue;
      const origin = typeof layer.origin === 'string' ? layer.origin : (layer.origin[key] ?? '');
      (out as unknown as Record<string, Resolved<unknown>>)[key] = { value, source: layer.source, origin };
    }
  }
  // A lowering by the repository stands even when a later layer says trusted.
  const lowered = layers.find((layer) => REPOSITORY_CONTROLLED.has(layer.source) && layer.values.trust === 'untrusted');
  if (lowered && out.trust.value === 'trusted') {
    out.trust = { value: 'untrusted', source: lowered.source, origin: typeof lowered.origin === 'string' ? lowered.origin : (lowered.origin.trust ?? '') };
  }
  const allow: Required<UntrustedAllow> = { commands: [], test_generation: false, env: [] };
  const origins: string[] = [];
  for (const layer of layers) {
    if (!layer.untrusted || !(layer.source === 'user' || layer.source === 'default-branch')) continue;
    origins.push(typeof layer.origin === 'string' ? layer.origin : layer.source);
    allow.commands.push(...(layer.untrusted.commands ?? []));
    allow.env.push(...(layer.untrusted.env ?? []));
    if (layer.untrusted.test_generation === true) allow.test_generation = true;
  }
  out.untrusted = { allow, origins };
  return out;
}
