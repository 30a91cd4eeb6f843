/**
 * Whether a package's build would take in a test file: compile it into its
 * output (the tsconfig the build script names, else tsconfig.json unless it
 * emits nothing or the build is not tsc's) or publish it (package.json
 * `files`). Read from the package's own files, with TypeScript's rules for
 * `files`/`include`/`exclude` (inherited through `extends`) and npm's for
 * `files`; nothing is run.
 */
import path from 'node:path';
// The ESM build: the package's UMD main cannot be bundled (see config-edit/formats/json.ts).
import { parse as parseJsonc } from 'jsonc-parser/lib/esm/main.js';
import type { WorkspaceView } from '../../src/workspace/types.js';

/** What a package's build takes in, ready to ask about any path (root-relative). */
export interface BuildInputs {
  /** Why `file` would be compiled or published (`tsconfig.json's include "src" compiles it`), or undefined. */
  exposes(file: string): string | undefined;
}

interface PackageJson {
  scripts?: Record<string, unknown>;
  files?: unknown;
}

interface TsconfigJson {
  extends?: unknown;
  files?: unknown;
  include?: unknown;
  exclude?: unknown;
  compilerOptions?: { allowJs?: unknown; noEmit?: unknown; outDir?: unknown };
}

/** Specs as the config that wrote them had them, with the folder they are relative to. */
interface Specs {
  base: string;
  list: string[];
}

interface Effective {
  file: string;
  files?: Specs | undefined;
  include?: Specs | undefined;
  exclude?: Specs | undefined;
  allowJs: boolean;
  noEmit: boolean;
  outDir?: string | undefined;
}

const TS_EXT = /\.(ts|tsx|mts|cts)$/;
const JS_EXT = /\.(js|jsx|mjs|cjs)$/;
const MAX_EXTENDS = 10;

/** Read the build settings of the package at `pkg` (root-relative, '' for the root). */
export async function readBuildInputs(workspace: WorkspaceView, pkg: string): Promise<BuildInputs> {
  const at = (file: string) => (pkg === '' ? file : `${pkg}/${file}`);
  const packageJson = parseJson<PackageJson>(await workspace.read(at('package.json')));
  const buildScript = typeof packageJson?.scripts?.build === 'string' ? packageJson.scripts.build : undefined;
  const named = buildScript === undefined ? undefined : namedTsconfig(buildScript);
  let config: Effective | undefined;
  if (named !== undefined) config = await loadTsconfig(workspace, path.posix.normalize(at(named)));
  else if (buildScript === undefined || /\btsc\b/.test(buildScript)) {
    const plain = await loadTsconfig(workspace, at('tsconfig.json'));
    if (plain && !plain.noEmit) config = plain;
  }
  const published = Array.isArray(packageJson?.files) ? packageJson.files.filter((f): f is string => typeof f === 'string') : undefined;
  return {
    exposes(file) {
      const compiled = config && compiles(config, file);
      if (compiled) return compiled;
      if (published) return publishes(published, pkg, at('package.json'), file);
      return undefined;
    },
  };
}

/** The tsconfig a build script names (`tsc -p tsconfig.build.json`), relative to the package. */
export function namedTsconfig(script: string): string | undefined {
  const flag = /(?:^|\s)(?:-p|--project|-b|--build)\s+(\S+)/.exec(script)?.[1];
  const named = flag ?? /(?:^|\s)(\S*tsconfig[\w.-]*\.json)\b/.exec(script)?.[1];
  if (named === undefined) return undefined;
  const cleaned = named.replace(/^['"]|['"]$/g, '');
  return cleaned.endsWith('.json') ? cleaned : `${cleaned.replace(/\/+$/, '')}/tsconfig.json`;
}

async function loadTsconfig(workspace: WorkspaceView, file: string, depth = 0): Promise<Effective | undefined> {
  const json = parseJson<TsconfigJson>(await workspace.read(file).catch(() => undefined));
  if (json === undefined) return undefined;
  const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
  let inherited: Effective | undefined;
  const parents = Array.isArray(json.extends) ? json.extends : json.extends === undefined ? [] : [json.extends];
  for (const parent of parents) {
    if (typeof parent !== 'string' || depth >= MAX_EXTENDS) continue;
    const resolved = await loadTsconfig(workspace, extendsPath(dir, parent), depth + 1);
    if (resolved) inherited = { ...inherited, ...definedOnly(resolved) } as Effective;
  }
  const options = json.compilerOptions ?? {};
  const specs = (value: unknown): Specs | undefined => (Array.isArray(value) ? { base: dir, list: value.filter((v): v is string => typeof v === 'string') } : undefined);
  return {
    file,
    files: specs(json.files) ?? inherited?.files,
    include: specs(json.include) ?? inherited?.include,
    exclude: specs(json.exclude) ?? inherited?.exclude,
    allowJs: typeof options.allowJs === 'boolean' ? options.allowJs : (inherited?.allowJs ?? false),
    noEmit: typeof options.noEmit === 'boolean' ? options.noEmit : (inherited?.noEmit ?? false),
    outDir: typeof options.outDir === 'string' ? join(dir, options.outDir) : inherited?.outDir,
  };
}

/** A relative `extends` from the config's folder; a package's from node_modules (its tsconfig.json when no file is named). */
function extendsPath(dir: string, spec: string): string {
  const withJson = (p: string) => (p.endsWith('.json') ? p : `${p}.json`);
  if (spec.startsWith('.')) return withJson(join(dir, spec));
  const inModules = join(dir, `node_modules/${spec}`);
  return /\/[^/]*\.json$/.test(spec) || spec.split('/').length > (spec.startsWith('@') ? 2 : 1) ? withJson(inModules) : `${inModules}/tsconfig.json`;
}

function definedOnly(config: Effective): Partial<Effective> {
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined));
}

/** Why the config compiles `file`, or undefined. */
function compiles(config: Effective, file: string): string | undefined {
  if (!(TS_EXT.test(file) && !/\.d\.[cm]?ts$/.test(file)) && !(config.allowJs && JS_EXT.test(file))) return undefined;
  const listed = config.files?.list.find((spec) => join(config.files!.base, spec) === file);
  if (listed !== undefined) return `${config.file} lists it in "files"`;
  const include = config.include ?? (config.files ? undefined : { base: path.posix.dirname(config.file) === '.' ? '' : path.posix.dirname(config.file), list: ['**/*'] });
  const including = include?.list.find((spec) => tsGlob(join(include.base, spec), false).test(file));
  if (including === undefined) return undefined;
  const exclude = config.exclude ?? {
    base: path.posix.dirname(config.file) === '.' ? '' : path.posix.dirname(config.file),
    list: ['node_modules', 'bower_components', 'jspm_packages'],
  };
  const excludes = [...exclude.list.map((spec) => join(exclude.base, spec)), ...(config.exclude === undefined && config.outDir ? [config.outDir] : [])];
  if (excludes.some((spec) => tsGlob(spec, true).test(file))) return undefined;
  return `${config.file} would compile it into the build (include "${including}"${config.exclude ? `, not excluded by ${config.exclude.list.map((e) => `"${e}"`).join(', ')}` : ''})`;
}

/** Why package.json `files` publishes `file`, or undefined; later entries win, `!` entries leave out. */
function publishes(entries: readonly string[], pkg: string, shown: string, file: string): string | undefined {
  let by: string | undefined;
  for (const entry of entries) {
    const negated = entry.startsWith('!');
    const spec = join(pkg, (negated ? entry.slice(1) : entry).replace(/^\.?\//, ''));
    if (!npmGlob(spec).test(file)) continue;
    by = negated ? undefined : entry;
  }
  return by === undefined ? undefined : `${shown} "files" publishes it ("${by}")`;
}

/**
 * A tsconfig `include`/`exclude` spec as a regular expression over
 * root-relative paths: `**` any folders, `*` and `?` within a name; a last
 * segment without a wildcard or a dot names a folder (everything below it).
 * Excludes also match everything below a matching folder.
 */
export function tsGlob(spec: string, exclude: boolean): RegExp {
  const last = spec.split('/').at(-1) ?? '';
  const folder = !/[*?]/.test(last) && !last.includes('.');
  const body = spec === '' ? '' : globBody(spec);
  if (folder || exclude) return new RegExp(`^${body === '' ? '' : `${body}/`}.*$|^${body}$`);
  return new RegExp(`^${body}$`);
}

/** An npm `files` entry: a glob, or a folder meaning everything below it. */
function npmGlob(spec: string): RegExp {
  return new RegExp(`^${globBody(spec)}(?:/.*)?$`);
}

function globBody(spec: string): string {
  let out = '';
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i] as string;
    if (c === '*' && spec[i + 1] === '*') {
      const slash = spec[i + 2] === '/';
      out += slash ? '(?:[^/]+/)*' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^$()|[\]\\{}]/g, '\\$&');
  }
  return out;
}

function join(base: string, spec: string): string {
  const joined = path.posix.normalize(path.posix.join(base === '' ? '.' : base, spec)).replace(/\/+$/, '');
  return joined === '.' ? '' : joined.replace(/^\.\//, '');
}

function parseJson<T>(text: string | undefined): T | undefined {
  if (text === undefined) return undefined;
  const value: unknown = parseJsonc(text, [], { allowTrailingComma: true });
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as T) : undefined;
}
