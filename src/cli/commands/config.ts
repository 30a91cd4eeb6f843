/**
 * `orchestrate config`: the effective settings and where each came from
 * (built-in, user file, GitHub event, repository file or the default
 * branch's copy, plan defaults, environment, flag), as text or JSON. The plan
 * is read when there is one; a missing plan is no error here.
 */
import { formatDuration } from '../../config/duration.js';
import { ConfigError, UserError } from '../../errors.js';
import { BUILTIN_DEFAULTS } from '../../plan/types.js';
import type { EffectiveSettings, Resolved, SettingKey } from '../../settings/layers.js';
import { SETTING_KEYS } from '../../settings/layers.js';
import { loadPlanWithSettings, prepareSettings, withPlanLayer, type SettingFlags } from '../../settings/prepare.js';
import type { CliContext } from '../context.js';
import type { CliIo } from '../io.js';
import type { GlobalOptions } from '../main.js';

interface ConfigArgs extends GlobalOptions, Omit<SettingFlags, 'color' | 'trust'> {
  json: boolean;
}

/** What a setting is when no layer sets it: the value, and how it is chosen when it is chosen at run time. */
const BUILT_IN: Record<SettingKey, [string, string?]> = {
  reporter: ['auto', 'github in GitHub Actions, plain in CI or off a terminal, else ink'],
  color: ['auto', 'on when the output is a terminal'],
  concurrency: [String(BUILTIN_DEFAULTS.maxParallel)],
  retries: [String(BUILTIN_DEFAULTS.retries)],
  timeout: [formatDuration(BUILTIN_DEFAULTS.timeoutMs)],
  author: ['git config', 'user.name and user.email of the target repository'],
  labels: ['none'],
  reviewers: ['none'],
  trust: ['trusted'],
};

/** Print the effective settings. */
export async function configCommand(args: ConfigArgs, io: CliIo, context: CliContext): Promise<number> {
  const prepared = await prepareSettings({ flags: { ...args, color: undefined }, config: args.config, cwd: args.cwd, processCwd: io.cwd, env: io.env, debug: (line) => io.stderr.write(`${line}\n`) });
  let settings: EffectiveSettings = prepared.settings;
  const { files } = prepared;
  if (files.plan !== undefined) {
    try {
      settings = (await loadPlanWithSettings(prepared, context)).settings;
    } catch (error) {
      // A broken plan is `validate`'s to report in full; its defaults are then not shown.
      if (!(error instanceof ConfigError || error instanceof UserError)) throw error;
      settings = withPlanLayer(prepared, undefined, files.plan);
      io.stderr.write(`${io.err.yellow('note:')} the plan ${files.plan} has problems (see \`orchestrate validate\`); its defaults are not shown\n`);
    }
  }
  // Colour was decided for this process before the command ran; show it with its layer.
  const colourFlag = args.color;
  if (colourFlag !== undefined) settings.color = { value: colourFlag, source: 'flag', origin: colourFlag ? '--color' : '--no-color' };

  if (args.json) {
    const out = {
      settings: Object.fromEntries(
        SETTING_KEYS.map((key) => {
          const { value, source, origin } = settings[key];
          return [key, { value: value ?? null, source, origin, ...(source === 'default' ? { builtIn: BUILT_IN[key].join(': ') } : {}) }];
        }),
      ),
      untrusted: settings.untrusted,
      files,
    };
    io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  const s = io.out;
  const width = Math.max(...SETTING_KEYS.map((key) => key.length));
  const valueWidth = Math.max(...SETTING_KEYS.map((key) => showValue(key, settings[key]).length));
  const lines = ['Settings (later layers win): user file, GitHub event, repository file, plan defaults, ORCHESTRATE_* environment, flags', ''];
  for (const key of SETTING_KEYS) {
    const resolved = settings[key];
    lines.push(`  ${key.padEnd(width)}  ${showValue(key, resolved).padEnd(valueWidth)}  ${s.dim(showSource(key, resolved))}`);
  }
  lines.push('', 'Files:');
  lines.push(`  user        ${files.user.path}${files.user.found ? '' : s.dim(' (none)')}`);
  const from = files.repository.from === 'working tree' ? '' : ` from ${files.repository.from}`;
  lines.push(`  repository  ${files.repository.path}${from}${files.repository.found ? '' : s.dim(' (none)')}`);
  if (files.repository.ignored) lines.push(`              ${s.dim(files.repository.ignored)}`);
  lines.push(`  plan        ${files.plan ?? s.dim('(none found)')}`);
  if (settings.trust.value === 'untrusted') {
    const allow = settings.untrusted.allow;
    lines.push('', 'Untrusted: allowed anyway', `  commands         ${allow.commands.map((c) => (typeof c === 'string' ? c : c.join(' '))).join('; ') || s.dim('none')}`);
    lines.push(`  test_generation  ${allow.test_generation ? 'yes' : 'no'}`, `  env              ${allow.env.join(', ') || s.dim('none')}`);
    if (settings.untrusted.origins.length) lines.push(`  ${s.dim(`from ${settings.untrusted.origins.join(', ')}`)}`);
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function showValue(key: SettingKey, resolved: Resolved<unknown>): string {
  const { value } = resolved;
  if (value === undefined) return BUILT_IN[key][0];
  if (key === 'timeout' && typeof value === 'number') return formatDuration(value);
  if (Array.isArray(value)) return value.join(', ') || '(none)';
  return String(value);
}

function showSource(key: SettingKey, resolved: Resolved<unknown>): string {
  if (resolved.source === 'default') return BUILT_IN[key][1] ? `built-in (${BUILT_IN[key][1]})` : 'built-in';
  const names: Record<string, string> = { user: 'user file', 'github-event': 'GitHub event:', repository: 'repository file', 'default-branch': 'default branch', plan: 'plan', env: 'environment', flag: 'flag' };
  return `${names[resolved.source] ?? resolved.source} ${resolved.origin}`;
}
