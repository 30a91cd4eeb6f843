/**
 * The run log: one JSON event per line in `.orchestrate/runs/<run-id>.jsonl`,
 * append-only. It is the source of truth the snapshot is derived from, so it
 * is written synchronously: `append` writes one event at once; `queue` holds
 * lines in memory until `flush` writes them all with one call (the state
 * store decides when: see store.ts). A process killed at any instant loses at
 * most what was queued and the line being written. Reading tolerates exactly
 * that damage (and a bad line anywhere else) with warnings, never an error.
 *
 * This module needs node built-ins only, so the tests can run the real writer
 * in a child process and kill it.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { EngineEvent } from '../engine/events.js';
import { errorMessage } from '../errors.js';

/** A new run id: UTC time to the millisecond, then random hex, so ids sort by start time. */
export function createRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, ''); // 20261122T043801.123Z
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** The line stored for one event, newline included. */
export function formatLogLine(event: EngineEvent): string {
  return `${JSON.stringify(event)}\n`;
}

/** Queued characters past which `queue` writes at once, so a producer that never yields holds little in memory. */
const QUEUE_LIMIT_BYTES = 64 * 1024;

/** Appends events to one run log; `append` and `flush` are on disk (in the OS) when they return. */
export class RunLogWriter {
  private fd: number | undefined;
  private size = 0;
  private queued = '';

  private constructor(
    readonly file: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Open (creating folders and file as needed) for appending. */
  static open(file: string): RunLogWriter {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // 'a+' rather than 'a' only so the last byte can be read back below; writes still append.
    const fd = fs.openSync(file, 'a+');
    const writer = new RunLogWriter(file, fd);
    writer.size = fs.fstatSync(fd).size;
    // A file cut short by a crash must not glue its torn last line to our first.
    if (!endsWithNewline(fd, writer.size)) writer.writeAll('\n');
    return writer;
  }

  /** Length of the file in bytes, as far as this writer knows (it is the only writer). */
  get bytes(): number {
    return this.size;
  }

  /** Write one event as one line, after whatever is queued. */
  append(event: EngineEvent): void {
    this.queued += formatLogLine(event);
    this.flush();
  }

  /** Hold one event's line until the next `flush` (written at once when the queue is large). */
  queue(event: EngineEvent): void {
    this.queued += formatLogLine(event);
    if (this.queued.length >= QUEUE_LIMIT_BYTES) this.flush();
  }

  /** Whether lines are waiting for `flush`. */
  get pending(): boolean {
    return this.queued !== '';
  }

  /** Write every queued line with one write (whole lines only, in order). */
  flush(): void {
    if (this.queued === '') return;
    const text = this.queued;
    this.queued = '';
    this.writeAll(text);
  }

  /** Write what is queued and close the file; later appends are a bug. */
  close(): void {
    if (this.fd === undefined) return;
    this.flush();
    fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private writeAll(text: string): void {
    if (this.fd === undefined) throw new Error(`run log ${this.file} is closed`);
    const length = Buffer.byteLength(text, 'utf8');
    // A string is written without copying it into a Buffer of our own first: half the cost per batch.
    const written = fs.writeSync(this.fd, text, null, 'utf8');
    if (written < length) {
      // writeSync may write less than asked (rare on regular files); finish the line.
      const buffer = Buffer.from(text, 'utf8');
      let offset = written;
      while (offset < buffer.length) {
        offset += fs.writeSync(this.fd, buffer, offset, buffer.length - offset);
      }
    }
    this.size += length;
  }
}

function endsWithNewline(fd: number, size: number): boolean {
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  fs.readSync(fd, last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

export interface RunLogRead {
  events: EngineEvent[];
  /** Bytes read, so a caller can tell later whether the file has grown since. */
  bytes: number;
  /** One line each, naming the file and line; for people, never fatal. */
  warnings: string[];
}

/**
 * Read a run log, skipping (with a warning) any line that is not a whole
 * event. With `from`, only the events after the first `from` bytes (which
 * must end a line: a size the store recorded), for a snapshot that already
 * holds the ones before.
 */
export function readRunLog(file: string, from = 0): RunLogRead {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (error) {
    return { events: [], bytes: 0, warnings: [`${file}: could not be read (${errorMessage(error)}); ignored`] };
  }
  const lines = data.subarray(from).toString('utf8').split('\n');
  // Warnings name lines of the whole file.
  const skipped = from === 0 ? 0 : countLines(data, from);
  // The text after the last newline is either empty or a line cut short.
  const last = lines.length - 1;
  const events: EngineEvent[] = [];
  const warnings: string[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const event = parseEvent(line);
    if (event !== undefined) {
      events.push(event);
    } else if (index === last) {
      warnings.push(
        `${file}:${skipped + index + 1}: the last line is incomplete (the run was probably stopped while writing it); ignored`,
      );
    } else {
      warnings.push(`${file}:${skipped + index + 1}: not a valid event; skipped`);
    }
  });
  return { events, bytes: data.length, warnings };
}

function countLines(data: Buffer, end: number): number {
  let count = 0;
  for (let at = data.indexOf(0x0a); at !== -1 && at < end; at = data.indexOf(0x0a, at + 1)) count++;
  return count;
}

/** Run log files under `runsDir`, oldest run first (run ids sort by time). */
export function listRunLogs(runsDir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(runsDir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .map((name) => path.join(runsDir, name));
}

function parseEvent(line: string): EngineEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  // Only the envelope is checked: the writer is ours, so a whole line is a whole event.
  if (typeof record.type !== 'string' || typeof record.runId !== 'string' || typeof record.time !== 'number') {
    return undefined;
  }
  return value as EngineEvent;
}
