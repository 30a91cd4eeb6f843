/**
 * Builds the settings a command runs with, and loads its plan under them:
 * the layers (user file, GitHub event, repository file, plan `defaults`,
 * environment, flags) merged with their sources; the trust level; under
 * untrusted, the repository file read from the default branch instead of the
 * working tree, `${VAR}` limited to allowlisted names, and the refusals the
 * plan meets. Called by the CLI commands; never prints.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseDuration } from '../config/duration.js';
import { MAX_PLAN_BYTES, sourceOf } from '../config/plan-source.js';
import type { PlanCache } from '../config/plan-cache.js';
import type { PlanConfig } from '../config/schema.js';
import { ExitCode, UserError } from '../errors.js';
import { loadPlan, type LoadedPlan } from '../api/load.js';
import type { ApiWorld, PlanOptions } from '../api/options.js';
import { findPlanFile, type PlanLocation, type PrereadPlan } from '../plan/load-plan.js';
import { peekOf } from '../plan/plan-peek.js';
import { readFromDefaultBranch } from '../trust/default-branch.js';
import { formatterRefusals } from '../trust/formatter-config.js';
import { trustFromGithubEvent } from '../trust/github-event.js';
import { describeRefusal, untrustedRefusals, type Refusal } from '../trust/policy.js';
import { envLayer } from './env-layer.js';
import { checkSettingsText, fileLayer, readSettingsFile, REPOSITORY_SETTINGS, userSettingsPath } from './files.js';
import { mergeSettings, type EffectiveSettings, type SettingsLayer, type SettingValues } from './layers.js';
import { planCacheFromEnv } from './plan-cache-env.js';

type Env = Record<string, string | undefined>;

/** The flags that are settings, as yargs gives them. */
export interface SettingFlags {
  reporter?: SettingValues['reporter'];
  color?: boolean | undefined;
  concurrency?: number | undefined;
  retries?: number | undefined;
  timeout?: string | undefined;
  author?: string | undefined;
  label?: string[] | undefined;
  reviewer?: string[] | undefined;
  trust?: SettingValues['trust'];
}

export interface SettingsRequest {
  flags: SettingFlags;
  config: string | undefined;
  cwd: string | undefined;
  processCwd: string;
  env: Env;
  /** Where debug lines go (ORCHESTRATE_DEBUG=cache): the command's stderr. */
  debug?: ((line: string) => void) | undefined;
}

/** Where each settings file is, and whether it was read. */
export interface SettingsFiles {
  user: { path: string; found: boolean };
  repository: { path: string; found: boolean; from: 'working tree' | string; ignored?: string | undefined };
  plan?: string | undefined;
}

export interface PreparedSettings {
  settings: EffectiveSettings;
  files: SettingsFiles;
  /** How to load the plan under these settings. */
  location: PlanLocation;
  /** The layers below the plan's and above it, to add the plan's when it is loaded. */
  layers: { below: SettingsLayer[]; top: SettingsLayer[] };
}

/** Merge every layer but the plan's, and say how the plan is to be loaded. */
export async function prepareSettings(request: SettingsRequest): Promise<PreparedSettings> {
  const { env } = request;
  const userPath = userSettingsPath(env);
  const user = await readSettingsFile(userPath, userPath);
  const layers: SettingsLayer[] = user ? [fileLayer('user', userPath, user)] : [];
  const event = trustFromGithubEvent(env);
  if (event) layers.push({ source: 'github-event', origin: event.reason, values: { trust: event.trust } });
  const top = [envLayer(env), flagLayer(request.flags)];

  const cache = planCacheFromEnv(env, request.processCwd, request.debug);
  const peeked = await peekPlan(request, cache);
  const root = request.cwd ? path.resolve(request.processCwd, request.cwd) : (peeked.root ?? request.processCwd);
  const repositoryPath = path.join(root, REPOSITORY_SETTINGS);
  const files: SettingsFiles = { user: { path: userPath, found: user !== undefined }, repository: { path: repositoryPath, found: false, from: 'working tree' }, plan: peeked.file };

  // The working tree's file counts only while trusted; it may lower trust, never raise it.
  let repository: SettingsLayer | undefined;
  if (mergeSettings([...layers, ...top]).trust.value === 'trusted') {
    const file = await readSettingsFile(repositoryPath, path.relative(request.processCwd, repositoryPath) || REPOSITORY_SETTINGS);
    if (file) {
      repository = fileLayer('repository', repositoryPath, file);
      files.repository.found = true;
    }
  }
  if (mergeSettings([...layers, ...(repository ? [repository] : []), ...top]).trust.value === 'untrusted') {
    if (repository) files.repository.ignored = 'the working tree’s copy is not read under untrusted (beyond lowering trust)';
    // Of the working tree's file only a lowering of trust is kept; everything else comes from the default branch.
    const lowering: SettingsLayer[] = repository?.values.trust === 'untrusted' ? [{ source: 'repository', origin: repository.origin, values: { trust: 'untrusted' } }] : [];
    layers.push(...lowering);
    repository = undefined;
    files.repository.found = false;
    const branch = await readFromDefaultBranch(root, REPOSITORY_SETTINGS, env);
    files.repository.from = branch ? branch.ref : 'no default branch found (origin/HEAD, GITHUB_BASE_REF)';
    if (branch?.text !== undefined) {
      const display = `${branch.ref}:${REPOSITORY_SETTINGS}`;
      repository = fileLayer('default-branch', display, await checkSettingsText(branch.text, display));
      files.repository.found = true;
    }
  }
  const below = [...layers, ...(repository ? [repository] : [])];
  const settings = mergeSettings([...below, ...top]);
  const refusePlugins = (): UserError => {
    const refusal: Refusal = { rule: 'plugins', subject: 'the plan', message: 'names handler plugins (`handlers:`); an untrusted plan may load no plugins' };
    return new UserError(describeRefusal(refusal), { exitCode: ExitCode.failed, hint: trustHint(settings) });
  };
  if (settings.trust.value === 'untrusted' && peeked.handlers) throw refusePlugins();

  const allowEnv = new Set(settings.untrusted.allow.env);
  const location: PlanLocation = {
    config: request.config,
    cwd: request.cwd,
    processCwd: request.processCwd,
    expand: {
      env,
      mayRead: settings.trust.value === 'untrusted' ? (name) => allowEnv.has(name) : undefined,
      refusedHint: 'under untrusted, a plan reads only the variables listed in untrusted.env of the default branch’s .orchestrate/config.yaml',
    },
    adjustDefaults: (defaults) => layeredDefaults(defaults, settings),
    // A plan piped in is not peeked at above: the loader refuses its plugins before importing them.
    refusePlugins: settings.trust.value === 'untrusted' ? refusePlugins : undefined,
    cache,
    preread: peeked.preread,
  };
  return { settings, files, location, layers: { below, top } };
}

/** Load the plan under the prepared settings; adds the plan layer and, under untrusted, the refusals. */
export async function loadPlanWithSettings(prepared: PreparedSettings, world: ApiWorld): Promise<LoadedPlan & { settings: EffectiveSettings; refusals: Refusal[] }> {
  const { location } = prepared;
  const whole = await loadPlan(world, planOptionsOf(location));
  const { plan, loaded } = whole;
  const settings = withPlanLayer(prepared, loaded.config.defaults, loaded.source.file);
  if (settings.trust.value === 'untrusted' && prepared.location.cwd === undefined) {
    // The plan's project.root could aim its file writes at any folder of the runner; --cwd is the operator's to give.
    const inside = path.relative(prepared.location.processCwd, plan.project.root);
    if (inside.startsWith('..') || path.isAbsolute(inside)) {
      const refusal: Refusal = { rule: 'project-root', subject: 'the plan', message: `sets project.root to ${plan.project.root}, outside ${prepared.location.processCwd}; an untrusted plan may not choose where it works` };
      throw new UserError(describeRefusal(refusal), { exitCode: ExitCode.failed, hint: 'pass --cwd DIR to name the target repository yourself' });
    }
  }
  const refusals = settings.trust.value === 'untrusted' ? [...untrustedRefusals(plan, loaded.raw, settings.untrusted.allow), ...(await formatterRefusals(plan))] : [];
  return { ...whole, settings, refusals };
}

/** The API's options for loading the plan at `location` (the settings' defaults, cache and the plan as peeked at included). */
export function planOptionsOf(location: PlanLocation): PlanOptions {
  const { config, cwd, processCwd, expand, adjustDefaults, refusePlugins, cache, preread } = location;
  // The CLI locates nothing in a plan after loading it: a hit need not load the YAML parser.
  return { config, cwd, base: processCwd, expand, adjustDefaults, refusePlugins, cache, preread, lightHit: true };
}

/** The settings with the plan's `defaults` as a layer between the repository file and the environment. */
export function withPlanLayer(prepared: PreparedSettings, defaults: PlanConfig['defaults'], file: string): EffectiveSettings {
  const { below, top } = prepared.layers;
  const values: SettingValues = { retries: defaults?.retries, timeout: defaults?.timeout, concurrency: defaults?.max_parallel };
  return mergeSettings([...below, { source: 'plan', origin: `${file} (defaults)`, values }, ...top]);
}

/** The hint of a refusal: where the allowlist lives. */
export function trustHint(settings: EffectiveSettings): string {
  return `the allowlist is untrusted.commands in ${REPOSITORY_SETTINGS} on the default branch (never the pull request's copy); trust is ${settings.trust.value} from ${settings.trust.source} ${settings.trust.origin}`;
}

/**
 * The plan's run-wide defaults with the settings applied: a file (user or
 * repository) fills in what the plan leaves out; the environment and flags
 * replace what it says. A phase, group or task that sets its own value keeps it.
 */
function layeredDefaults(defaults: PlanConfig['defaults'], settings: EffectiveSettings): PlanConfig['defaults'] {
  const out = { ...defaults };
  const fromFile = (source: string) => source === 'user' || source === 'repository' || source === 'default-branch';
  const fromTop = (source: string) => source === 'env' || source === 'flag';
  for (const key of ['retries', 'timeout'] as const) {
    const { value, source } = settings[key];
    if (value === undefined) continue;
    if (fromTop(source) || (fromFile(source) && out[key] === undefined)) out[key] = value;
  }
  // --concurrency keeps its meaning (the run-wide limit, passed to the executor); a file's is the plan default.
  const concurrency = settings.concurrency;
  if (concurrency.value !== undefined && fromFile(concurrency.source) && out.max_parallel === undefined) out.max_parallel = concurrency.value;
  return out;
}

function flagLayer(flags: SettingFlags): SettingsLayer {
  const values: SettingValues = {
    reporter: flags.reporter,
    color: flags.color,
    concurrency: flags.concurrency,
    retries: flags.retries,
    author: flags.author,
    labels: flags.label,
    reviewers: flags.reviewer,
    trust: flags.trust,
  };
  if (flags.retries !== undefined && (!Number.isInteger(flags.retries) || flags.retries < 0)) {
    throw new UserError(`--retries must be a whole number of at least 0, not ${flags.retries}`);
  }
  if (flags.timeout !== undefined) {
    values.timeout = parseDuration(flags.timeout);
    if (values.timeout === undefined) throw new UserError(`--timeout ${flags.timeout} is not a duration`, { hint: 'use a value like 30s, 10m or 1h' });
  }
  const origin = Object.fromEntries(
    Object.entries({ reporter: '--reporter', color: '--color', concurrency: '--concurrency', retries: '--retries', timeout: '--timeout', author: '--author', labels: '--label', reviewers: '--reviewer', trust: '--trust' }),
  );
  return { source: 'flag', origin, values };
}

/**
 * What settings need from the plan before it is loaded: its file, the target
 * root it names, whether it names plugins. Read from the cache when the plan
 * is unchanged, else parsed once: the file and its parse are handed on to the
 * loader, which does not read or parse it again.
 */
async function peekPlan(request: SettingsRequest, cache: PlanCache | undefined): Promise<{ file?: string; root?: string; handlers: boolean; preread?: PrereadPlan }> {
  let found;
  try {
    found = findPlanFile({ config: request.config, cwd: request.cwd, processCwd: request.processCwd });
  } catch {
    return { handlers: false };
  }
  // A plan piped in (--config /dev/stdin) can be read only once: it is left to the loader; so are oversized and unreadable files.
  const info = statSync(found.absolute, { throwIfNoEntry: false });
  if (!info?.isFile() || info.size > MAX_PLAN_BYTES) return { file: found.display, handlers: false };
  let bytes: Buffer;
  try {
    bytes = readFileSync(found.absolute);
  } catch {
    return { file: found.display, handlers: false };
  }
  const source = sourceOf(bytes, found.display);
  const entry = cache?.entryFor(found.absolute);
  if (entry && entry.plan.sha256 === source.sha256) {
    return { file: found.display, ...(entry.peek.root !== null ? { root: entry.peek.root } : {}), handlers: entry.peek.handlers, preread: { absolute: found.absolute, source } };
  }
  const { parsePlanText } = await import('../config/load.js');
  const parsed = parsePlanText(source);
  // A plan that does not parse: its own loading reports what is wrong with it.
  const peek = parsed.ok ? peekOf(parsed.raw, found.absolute) : { root: null, handlers: false };
  return { file: found.display, ...(peek.root !== null ? { root: peek.root } : {}), handlers: peek.handlers, preread: { absolute: found.absolute, source, parsed } };
}

/** Prepare the settings and load the plan under them: the one call a command makes. */
export async function loadPlanUnderSettings(
  args: SettingFlags & { config: string | undefined; cwd: string | undefined },
  io: { cwd: string; env: Env; stderr?: { write(text: string): unknown } },
  world: ApiWorld,
): ReturnType<typeof loadPlanWithSettings> {
  const debug = io.stderr ? (line: string) => void io.stderr?.write(`${line}\n`) : undefined;
  return loadPlanWithSettings(await prepareSettings({ flags: args, config: args.config, cwd: args.cwd, processCwd: io.cwd, env: io.env, debug }), world);
}
