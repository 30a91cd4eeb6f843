/**
 * Where cached plan loads are kept: one file per plan path in a directory
 * (the user's cache directory unless told otherwise), each replaced whole by
 * an atomic write. A file that cannot be read or trusted is ignored and
 * replaced; a directory that cannot be written is skipped without a word.
 * Counts what happened, and reports each outcome to an optional listener
 * (the CLI's debug output); never prints itself.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { decodeEntry, encodeEntry, sha256, type CacheEntry } from './cache-entry.js';

/** One thing the cache did, for a listener. */
export type PlanCacheEvent =
  | { kind: 'hit'; plan: string }
  | { kind: 'miss'; plan: string; reason: string }
  | { kind: 'ignored'; plan: string; file: string; reason: string }
  | { kind: 'stored'; plan: string; file: string }
  | { kind: 'unwritable'; plan: string; file: string; reason: string };

/** Entries kept; past this, the ones written longest ago are removed when another is written. */
export const MAX_ENTRIES = 200;

export interface PlanCacheOptions {
  /** The directory holding the entries (created on the first write). */
  dir: string;
  /** At most this many entries are kept (default MAX_ENTRIES). */
  maxEntries?: number | undefined;
  /** The orchestrate version and build; entries written by another are ignored. */
  build: string;
  onEvent?: ((event: PlanCacheEvent) => void) | undefined;
}

export interface PlanCacheStats {
  hits: number;
  misses: number;
  stored: number;
  /** Files found but not trusted (corrupt, truncated, another format or build, wrong shape). */
  ignored: number;
  unwritable: number;
}

export class PlanCache {
  readonly dir: string;
  readonly build: string;
  readonly stats: PlanCacheStats = { hits: 0, misses: 0, stored: 0, ignored: 0, unwritable: 0 };
  private readonly onEvent: PlanCacheOptions['onEvent'];
  private readonly maxEntries: number;
  private readonly read = new Map<string, CacheEntry | undefined>();

  constructor(options: PlanCacheOptions) {
    this.dir = options.dir;
    this.build = options.build;
    this.onEvent = options.onEvent;
    this.maxEntries = options.maxEntries ?? MAX_ENTRIES;
  }

  /** The file holding the entry of the plan at `planPath` (absolute). */
  fileFor(planPath: string): string {
    return path.join(this.dir, 'plans', `${sha256(planPath).slice(0, 32)}.json`);
  }

  /** The trusted entry stored for a plan, read once per process; undefined when there is none to trust. */
  entryFor(planPath: string): CacheEntry | undefined {
    if (this.read.has(planPath)) return this.read.get(planPath);
    const entry = this.readEntry(planPath);
    this.read.set(planPath, entry);
    return entry;
  }

  /**
   * The entry for a load to use: a copy no other load shares (a consumer may
   * change the plan it gets), so the next call reads the file again.
   */
  takeEntry(planPath: string): CacheEntry | undefined {
    const entry = this.entryFor(planPath);
    this.read.delete(planPath);
    return entry;
  }

  /** Count and report a hit. */
  hit(planPath: string): void {
    this.stats.hits += 1;
    this.onEvent?.({ kind: 'hit', plan: planPath });
  }

  /** Count and report a miss. */
  miss(planPath: string, reason: string): void {
    this.stats.misses += 1;
    this.onEvent?.({ kind: 'miss', plan: planPath, reason });
  }

  /** Write the entry of a plan, replacing any; a failure to write is counted, never thrown. */
  async store(entry: CacheEntry): Promise<void> {
    const file = this.fileFor(entry.plan.path);
    this.read.delete(entry.plan.path);
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      // Loaded only when an entry is written: a hit never needs it.
      const { default: writeFileAtomic } = await import('write-file-atomic');
      await writeFileAtomic(file, encodeEntry(entry), { fsync: false });
    } catch (error) {
      this.stats.unwritable += 1;
      this.onEvent?.({ kind: 'unwritable', plan: entry.plan.path, file, reason: (error as NodeJS.ErrnoException).code ?? String(error) });
      return;
    }
    this.stats.stored += 1;
    this.onEvent?.({ kind: 'stored', plan: entry.plan.path, file });
    this.prune(path.dirname(file));
  }

  /** One entry per plan path: plans in throw-away folders would otherwise pile up. */
  private prune(dir: string): void {
    try {
      const names = readdirSync(dir).filter((name) => name.endsWith('.json'));
      if (names.length <= this.maxEntries) return;
      const written = names.map((name) => ({ file: path.join(dir, name), at: statSync(path.join(dir, name)).mtimeMs })).sort((a, b) => a.at - b.at);
      for (const { file } of written.slice(0, written.length - this.maxEntries)) rmSync(file, { force: true });
    } catch {
      // Another process pruning at the same time, or a folder we may not list: the cache still works.
    }
  }

  private readEntry(planPath: string): CacheEntry | undefined {
    const file = this.fileFor(planPath);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const decoded = decodeEntry(text);
    const reason = 'reason' in decoded ? decoded.reason : decoded.entry.build !== this.build ? `written by ${decoded.entry.build}` : decoded.entry.plan.path !== planPath ? 'written for another plan' : undefined;
    if (reason === undefined && 'entry' in decoded) return decoded.entry;
    this.stats.ignored += 1;
    this.onEvent?.({ kind: 'ignored', plan: planPath, file, reason: reason ?? 'unreadable' });
    return undefined;
  }
}
