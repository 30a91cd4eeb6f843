/**
 * The on-disk form of one cached plan load: what the result was computed
 * from (every input, by content) and the result itself. A file is a header
 * line carrying the format and the SHA-256 of the body, then the JSON body;
 * anything that does not check out (truncated, edited, another format, another
 * shape) decodes to a reason and is never used.
 */
import { createHash } from 'node:crypto';

/** Bump when the entry's shape or meaning changes: older files are then ignored. */
export const CACHE_FORMAT = 1;
const MAGIC = 'orchestrate-plan-cache';

/** A `${VAR}` the load looked at: its value then (null: unset), and whether the plan could read it. */
export interface CachedEnvUse {
  name: string;
  value: string | null;
  allowed: boolean;
}

/** Everything a cached load was computed from, and its result. */
export interface CacheEntry {
  /** The orchestrate version and build that wrote it (built-in handlers' schemas, the loader itself). */
  build: string;
  /** The plan file: absolute path and the SHA-256 of its bytes. */
  plan: { path: string; sha256: string };
  /** The handler set before the plan's plugins (types and origins). */
  base: string;
  /** The handler set the plan was checked against, plugins included. */
  registry: string;
  /** Whether `${VAR}` expansion ran. */
  expand: boolean;
  env: CachedEnvUse[];
  /** Other files the load read (plugin entry files, package manifests), by content. */
  files: { path: string; sha256: string }[];
  /** The plan's `handlers:` as written (before expansion), to load its plugins from. */
  handlers: unknown;
  /** What the settings layer reads before loading: the target root the plan names, whether it names plugins. */
  peek: { root: string | null; handlers: boolean };
  /** The schema-checked config and the (expanded) raw data, as an uncached load returns them. */
  config: unknown;
  raw: unknown;
}

/** The bytes of a cache file for `entry`. */
export function encodeEntry(entry: CacheEntry): string {
  const body = JSON.stringify(entry);
  return `${MAGIC} ${CACHE_FORMAT} ${sha256(body)}\n${body}`;
}

/** A cache file's entry, or why it cannot be trusted. */
export function decodeEntry(text: string): { entry: CacheEntry } | { reason: string } {
  const newline = text.indexOf('\n');
  if (newline < 0) return { reason: 'truncated' };
  const [magic, format, digest, extra] = text.slice(0, newline).split(' ');
  if (magic !== MAGIC || extra !== undefined || digest === undefined) return { reason: 'not a plan cache file' };
  if (format !== String(CACHE_FORMAT)) return { reason: `format ${format}, expected ${CACHE_FORMAT}` };
  const body = text.slice(newline + 1);
  if (sha256(body) !== digest) return { reason: 'checksum mismatch (truncated or edited)' };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { reason: 'not JSON' };
  }
  return isEntry(value) ? { entry: value } : { reason: 'wrong shape' };
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Whether `value` survives JSON unchanged (plain objects and arrays, strings,
 * finite numbers, booleans, null): only such results are cached, so a hit
 * gives exactly what an uncached load would.
 */
export function survivesJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(survivesJson);
  if (typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.entries(value).every(([key, item]) => key !== '__proto__' && survivesJson(item));
}

function isEntry(value: unknown): value is CacheEntry {
  if (!isRecord(value)) return false;
  const { build, plan, base, registry, expand, env, files, peek } = value;
  return (
    typeof build === 'string' &&
    isRecord(plan) &&
    typeof plan.path === 'string' &&
    typeof plan.sha256 === 'string' &&
    typeof base === 'string' &&
    typeof registry === 'string' &&
    typeof expand === 'boolean' &&
    Array.isArray(env) &&
    env.every((use) => isRecord(use) && typeof use.name === 'string' && (use.value === null || typeof use.value === 'string') && typeof use.allowed === 'boolean') &&
    Array.isArray(files) &&
    files.every((file) => isRecord(file) && typeof file.path === 'string' && typeof file.sha256 === 'string') &&
    'handlers' in value &&
    isRecord(peek) &&
    (peek.root === null || typeof peek.root === 'string') &&
    typeof peek.handlers === 'boolean' &&
    isRecord(value.config) &&
    isRecord(value.raw)
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
