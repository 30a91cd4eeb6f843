/**
 * A V8 code cache for large CommonJS files (TypeScript's 9 MB compiler, which
 * ts-morph loads), kept across runs. Node 22.1+ has one of its own
 * (`module.enableCompileCache`), used when present; Node 20 has none, so
 * `Module.prototype._compile` is wrapped: a file of at least `minBytes` is
 * compiled as a `vm.Script` with the bytecode saved by an earlier run, and at
 * exit the bytecode of what this run compiled (the functions it called
 * included) is saved for the next. Smaller files go to Node untouched.
 *
 * An entry is one file per source, named by a hash of the source's path,
 * holding a hash of the source's text, the Node version and V8's cache tag,
 * and a CRC of the bytecode. An entry that does not match, does not
 * parse, fails its checksum or that V8 rejects is ignored and replaced; a
 * directory that cannot be written is skipped. It never changes what a
 * module does, only how long compiling it takes.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import type vmModule from 'node:vm';

/**
 * The built-ins the cache works with, loaded when a large file is first
 * compiled: a command that loads none (plan, validate, status) does not pay
 * for loading vm, v8, zlib and crypto at start-up.
 */
const builtIns = (() => {
  let loaded: { vm: typeof import('node:vm'); v8: typeof import('node:v8'); zlib: typeof import('node:zlib'); crypto: typeof import('node:crypto') } | undefined;
  return () => {
    if (loaded === undefined) {
      const require = createRequire(import.meta.url);
      loaded = { vm: require('node:vm'), v8: require('node:v8'), zlib: require('node:zlib'), crypto: require('node:crypto') };
    }
    return loaded;
  };
})();
const crc32 = (data: string | Uint8Array): number => builtIns().zlib.crc32(data);

/** Files smaller than this compile fast enough without a cache (TypeScript is 9 MB, ts-morph 1 MB). */
export const MIN_BYTES = 256 * 1024;

const MAGIC = 'orchestrate-code-cache-1';

export interface CompileCacheStats {
  /** Bytecode found and accepted by V8. */
  hits: number;
  /** No entry, or one for another version of the source or of Node. */
  misses: number;
  /** Entries found but not trusted: unreadable, corrupt, a bad checksum, or rejected by V8. */
  ignored: number;
  stored: number;
  unwritable: number;
}

/** What `enableCompileCache` turned on. */
export type CompileCacheHandle = { kind: 'node'; dir: string } | { kind: 'hook'; dir: string; stats: CompileCacheStats };

interface Pending {
  script: vmModule.Script;
  file: string;
  key: string;
}

/** Node 20.19+ passes a format: 'module' for an ES module loaded by require, undefined when it is to be detected. */
type Compile = (this: Module, content: string, filename: string, format?: string) => unknown;

let installed: CompileCacheHandle | undefined;

/**
 * Turn the cache on for this process, with its entries in `dir` (created on
 * the first write). Once per process: later calls return the first handle.
 */
export function enableCompileCache(dir: string, options: { minBytes?: number } = {}): CompileCacheHandle {
  if (installed !== undefined) return installed;
  const native = (Module as unknown as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (typeof native === 'function') {
    native(dir);
    installed = { kind: 'node', dir };
    return installed;
  }
  const stats: CompileCacheStats = { hits: 0, misses: 0, ignored: 0, stored: 0, unwritable: 0 };
  const minBytes = options.minBytes ?? MIN_BYTES;
  const pending: Pending[] = [];
  const prototype = Module.prototype as unknown as { _compile: Compile };
  const original = prototype._compile;
  prototype._compile = function compileWithCache(content, filename, format) {
    if (content.length < minBytes || !path.isAbsolute(filename) || (format !== undefined && format !== 'commonjs')) {
      return original.call(this, content, filename, format);
    }
    const file = path.join(dir, `${sha256(filename).slice(0, 32)}.bin`);
    const key = keyOf(filename, content);
    const entry = readEntry(file, key);
    const cached = entry.kind === 'found' ? entry.data : undefined;
    // A hashbang is only allowed at the very start of a script, which the wrapper no longer is.
    const source = content.startsWith('#!') ? `//${content.slice(2)}` : content;
    const { vm } = builtIns();
    let script: vmModule.Script;
    try {
      script = new vm.Script(Module.wrap(source), {
        filename,
        cachedData: cached,
        importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      });
    } catch {
      // Not a CommonJS script: ES module syntax in a .js file Node must detect, or a syntax error.
      // Node's own path handles the first and reports the second as it always does.
      return original.call(this, content, filename, format);
    }
    if (entry.kind === 'missing') stats.misses++;
    else if (entry.kind === 'untrusted' || script.cachedDataRejected === true) stats.ignored++;
    else stats.hits++;
    if (cached === undefined || script.cachedDataRejected === true) pending.push({ script, file, key });
    const run = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return Reflect.apply(run, this.exports, [this.exports, requireFor(this, filename), this, filename, path.dirname(filename)]);
  };
  // At exit the scripts hold the bytecode of every function this run called, not only of their top level.
  process.once('exit', () => {
    for (const entry of pending) writeEntry(entry, dir, stats);
  });
  installed = { kind: 'hook', dir, stats };
  return installed;
}

/**
 * What an entry must have been made for: this text of the source (a require
 * hook may hand _compile other text than the file's), this Node and this V8.
 * A CRC of the text costs a few milliseconds for TypeScript's 9 MB.
 */
function keyOf(filename: string, content: string): string {
  return `${filename}\0${content.length}:${crc32(content)}\0${process.version}\0${process.arch}\0${builtIns().v8.cachedDataVersionTag()}`;
}

type Entry = { kind: 'found'; data: Buffer } | { kind: 'missing' } | { kind: 'untrusted' };

/** The bytecode stored for `key`: found, missing (none, or one for another source or Node), or untrusted. */
function readEntry(file: string, key: string): Entry {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return { kind: 'missing' };
  }
  // Layout: MAGIC \n sha256(key) \n crc32(data) \n data. A CRC because V8 itself only checks the
  // length of the bytecode, and hashing megabytes with SHA-256 would cost more than it saves.
  const lines: string[] = [];
  let at = 0;
  for (let i = 0; i < 3; i++) {
    const end = bytes.indexOf(10, at);
    if (end < 0 || end - at > 128) return { kind: 'untrusted' };
    lines.push(bytes.toString('latin1', at, end));
    at = end + 1;
  }
  const [magic, keyHash, checksum] = lines;
  if (magic !== MAGIC) return { kind: 'untrusted' };
  if (keyHash !== sha256(key)) return { kind: 'missing' };
  const data = bytes.subarray(at);
  if (data.length === 0 || String(crc32(data)) !== checksum) return { kind: 'untrusted' };
  return { kind: 'found', data };
}

function sha256(data: string | Uint8Array): string {
  return builtIns().crypto.createHash('sha256').update(data).digest('hex');
}

/** Store a script's bytecode, replacing the entry whole (a reader sees the old one or the new one). */
function writeEntry(entry: Pending, dir: string, stats: CompileCacheStats): void {
  const temp = `${entry.file}.${process.pid}.tmp`;
  try {
    const data = entry.script.createCachedData();
    mkdirSync(dir, { recursive: true });
    writeFileSync(temp, Buffer.concat([Buffer.from(`${MAGIC}\n${sha256(entry.key)}\n${crc32(data)}\n`), data]));
    renameSync(temp, entry.file);
    stats.stored++;
  } catch {
    stats.unwritable++;
    try {
      rmSync(temp, { force: true });
    } catch {
      // The folder itself is not there to clean (a file in its place, no permission): nothing was left.
    }
  }
}

/** The `require` a CommonJS module gets, as Node builds it: bound to the module, resolving from its file. */
function requireFor(module: Module, filename: string): NodeJS.Require {
  const resolving = createRequire(filename);
  const require = ((id: string) => module.require(id)) as NodeJS.Require;
  require.resolve = resolving.resolve;
  require.main = process.mainModule;
  require.extensions = resolving.extensions;
  require.cache = resolving.cache;
  return require;
}
