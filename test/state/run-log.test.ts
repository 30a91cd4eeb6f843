import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRunId, listRunLogs, readRunLog, RunLogWriter } from '../../src/state/run-log.js';
import { eventsFor, tempRoot, writeLog } from './helpers.js';

describe('createRunId', () => {
  it('sorts by start time and differs between two runs in the same millisecond', () => {
    const early = createRunId(new Date('2026-11-22T04:38:01.100Z'));
    const late = createRunId(new Date('2026-11-22T04:38:01.200Z'));
    expect(early).toMatch(/^20261122T043801\.100Z-[0-9a-f]{6}$/);
    expect([late, early].sort()).toEqual([early, late]);
    const now = new Date();
    expect(createRunId(now)).not.toBe(createRunId(now));
  });
});

describe('RunLogWriter and readRunLog', () => {
  it('reads back every event appended, in order, one per line', () => {
    const file = path.join(tempRoot(), '.orchestrate', 'runs', 'r.jsonl');
    const e = eventsFor('r');
    const events = [e.runStart(), e.taskOutput('1.1', 'a line\nwith a newline inside'), e.runFinish('done')];
    const writer = RunLogWriter.open(file);
    for (const event of events) writer.append(event);
    writer.close();
    expect(fs.readFileSync(file, 'utf8').split('\n')).toHaveLength(4);
    expect(readRunLog(file)).toEqual({ events, bytes: fs.statSync(file).size, warnings: [] });
  });

  it('counts bytes, not characters, of what it writes, so a saved snapshot is known to cover its log', () => {
    const file = path.join(tempRoot(), '.orchestrate', 'runs', 'r.jsonl');
    const e = eventsFor('r');
    const writer = RunLogWriter.open(file);
    writer.append(e.runStart());
    writer.queue(e.taskOutput('1.1', 'café, 日本語, and an emoji 🚀'));
    writer.flush();
    expect(writer.bytes).toBe(fs.statSync(file).size);
    writer.close();
    expect(readRunLog(file).events[1]).toMatchObject({ line: 'café, 日本語, and an emoji 🚀' });
  });

  it('tolerates a truncated last line with a warning naming the file and line', () => {
    const file = path.join(tempRoot(), 'r.jsonl');
    const e = eventsFor('r');
    const events = [e.runStart(), e.taskStart('1.1')];
    writeLog(file, events, '{"type":"task:finish","time":17');
    const read = readRunLog(file);
    expect(read.events).toEqual(events);
    expect(read.warnings).toEqual([expect.stringContaining(`${file}:3: the last line is incomplete`)]);
  });

  it('skips a bad line in the middle with a warning and keeps the rest', () => {
    const file = path.join(tempRoot(), 'r.jsonl');
    const e = eventsFor('r');
    const [first, second] = [e.runStart(), e.taskStart('1.1')];
    fs.writeFileSync(file, `${JSON.stringify(first)}\nnot json\n{"no":"envelope"}\n${JSON.stringify(second)}\n`);
    const read = readRunLog(file);
    expect(read.events).toEqual([first, second]);
    expect(read.warnings).toEqual([`${file}:2: not a valid event; skipped`, `${file}:3: not a valid event; skipped`]);
  });

  it('reports a missing file as a warning, not an error', () => {
    const file = path.join(tempRoot(), 'absent.jsonl');
    expect(readRunLog(file)).toEqual({ events: [], bytes: 0, warnings: [expect.stringContaining('could not be read')] });
  });

  it('does not glue its first line to a torn line when reopening a damaged log', () => {
    const file = path.join(tempRoot(), 'r.jsonl');
    const e = eventsFor('r');
    const start = e.runStart();
    writeLog(file, [start], '{"type":"task:st');
    const more = e.taskStart('1.1');
    const writer = RunLogWriter.open(file);
    writer.append(more);
    writer.close();
    const read = readRunLog(file);
    expect(read.events).toEqual([start, more]);
    expect(read.warnings).toEqual([`${file}:2: not a valid event; skipped`]);
  });

  it('lists logs oldest run first', () => {
    const dir = tempRoot();
    for (const id of ['20261122T050000.000Z-bbbbbb', '20261122T040000.000Z-aaaaaa']) fs.writeFileSync(path.join(dir, `${id}.jsonl`), '');
    fs.writeFileSync(path.join(dir, 'notes.txt'), '');
    expect(listRunLogs(dir).map((file) => path.basename(file))).toEqual([
      '20261122T040000.000Z-aaaaaa.jsonl',
      '20261122T050000.000Z-bbbbbb.jsonl',
    ]);
    expect(listRunLogs(path.join(dir, 'missing'))).toEqual([]);
  });
});
