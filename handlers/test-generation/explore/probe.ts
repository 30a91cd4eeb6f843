/**
 * The probe: one test file, run once by the target's own runner (so its
 * TypeScript set-up, module resolution and mocks apply), that carries out
 * every scenario twice and writes what happened, one JSON line each. The
 * second pass runs with the clock moved days ahead, so a value that depends
 * on the time, on randomness or on what ran before differs between the passes
 * and is never pinned. Under Jest's instrumentation (istanbul) the probe also
 * records which statements, branches and functions each scenario reached in
 * the first pass, so the generator keeps only the scenarios that add coverage.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runCandidate } from '../verify.js';
import { subjectImport } from '../subject-import.js';
import type { Scenario } from './scenarios.js';
import type { Dependency } from './pools.js';

/** A value as the probe saw it: enough to write an assertion, nothing that cannot be compared. */
export type Spec =
  | { t: 'prim'; v: string | number | boolean | null }
  | { t: 'undef' }
  | { t: 'nan' }
  | { t: 'date' }
  | { t: 'fn' }
  | { t: 'arr'; items: Spec[]; length: number }
  | { t: 'obj'; fields: Record<string, Spec>; ctor: string }
  | { t: 'other'; ctor: string }
  | { t: 'response'; status: number; body: Spec | undefined }
  | { t: 'any'; of?: 'string' | 'number' | 'boolean' | 'object' };

export interface Outcome {
  /** The set-up (not the call) failed: the scenario says nothing about the call. */
  setupFailed?: string;
  timeout?: boolean;
  /** The call returned a promise. */
  promise: boolean;
  threw?: { name: string; message: string };
  value?: Spec;
}

export interface ProbeResult {
  /** Per scenario id: the outcome of both passes and what the first pass reached. */
  outcomes: Map<number, { first: Outcome; second: Outcome | undefined; reached: string[] }>;
  /** Coverage keys reached by loading the modules, before any scenario. */
  initial: string[];
  /** Whether coverage was measured (the runner instruments with istanbul). */
  measured: boolean;
  /** Set when the probe could not run at all. */
  error: string | undefined;
}

export interface ProbeRequest {
  root: string;
  framework: 'jest' | 'vitest';
  testFile: string;
  source: string;
  importPath: string;
  dependencies: Dependency[];
  /** Extra import lines (the route probe's Fastify). */
  imports?: string[];
  scenarios: Scenario[];
  esm: boolean;
  /** The source's module format (a CommonJS source is bound through its `default`). */
  format?: 'esm' | 'cjs';
  signal: AbortSignal;
}

/** The files whose coverage counts for a source: every script under its top folder (what the probe and a gap task's related tests instrument alike). */
export function instrumentedGlob(source: string): string {
  const top = source.includes('/') ? source.split('/')[0] : '.';
  return `${top}/**/*.{ts,tsx,js,jsx,mts,cts,mjs,cjs}`;
}

/** Run the scenarios in the target's runner and read back what happened. */
export async function runProbe(request: ProbeRequest, scratch: string): Promise<ProbeResult> {
  const out = path.join(scratch, 'probe.jsonl');
  const text = probeText(request, out);
  const run = await runCandidate({
    root: request.root,
    framework: request.framework,
    testFile: request.testFile,
    text,
    source: request.source,
    coverage: request.framework === 'jest' ? { from: instrumentedGlob(request.source) } : false,
    esm: request.esm,
    signal: request.signal,
    timeoutMs: 10 * 60_000,
  });
  const lines = await readFile(out, 'utf8').catch(() => '');
  const outcomes: ProbeResult['outcomes'] = new Map();
  let initial: string[] = [];
  let measured = false;
  for (const line of lines.split('\n')) {
    if (line === '') continue;
    let record: { kind: string; id?: number; pass?: number; outcome?: Outcome; reached?: string[] | null; initial?: string[] | null };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      continue; // a line cut short by a crash
    }
    if (record.kind === 'start') {
      measured = Array.isArray(record.initial);
      initial = record.initial ?? [];
    } else if (record.kind === 'scenario' && record.id !== undefined && record.outcome) {
      const entry = outcomes.get(record.id) ?? { first: record.outcome, second: undefined, reached: [] };
      if (record.pass === 0) {
        entry.first = record.outcome;
        entry.reached = record.reached ?? [];
      } else entry.second = record.outcome;
      outcomes.set(record.id, entry);
    }
  }
  const error = outcomes.size === 0 ? (run.suiteError ?? [...run.failed.values()][0] ?? 'the probe wrote nothing') : undefined;
  return { outcomes, initial, measured, error };
}

/** The probe's test file. */
export function probeText(request: ProbeRequest, out: string): string {
  const api = request.framework === 'vitest' ? ["import { it } from 'vitest';"] : [];
  const scenarios = request.scenarios.map((s) => {
    const body = [
      ...s.setup,
      'mark();',
      'try {',
      `  return await settle(() => (${s.call}));`,
      '} finally {',
      ...s.cleanup.map((line) => `  ${line}`),
      '}',
    ];
    return `  [${s.id}, async (mark) => {\n${body.map((line) => `    ${line}`).join('\n')}\n  }],`;
  });
  return `// @ts-nocheck
// Probe written by orchestrate test_generation for ${request.source}; removed after the run.
${api.join('\n')}
import { appendFileSync } from 'node:fs';
${subjectImport({ format: request.format }, request.importPath).join('\n')}
${request.dependencies.map((d) => `import * as ${d.alias} from ${JSON.stringify(d.specifier)};`).join('\n')}
${(request.imports ?? []).join('\n')}

const OUT = ${JSON.stringify(out)};
const scenarios = [
${scenarios.join('\n')}
];
${PROBE_RUNTIME}
`;
}

/** The part of the probe that does not depend on the scenarios (plain JS inside a TS file). */
const PROBE_RUNTIME = String.raw`
const RealDate = Date;
const SHIFT = 3 * 86400000 + 12345678;
class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + SHIFT);
    else super(...args);
  }
  static now() {
    return RealDate.now() + SHIFT;
  }
}

function counters() {
  const coverage = globalThis.__coverage__;
  if (!coverage) return undefined;
  const out = new Map();
  for (const [file, data] of Object.entries(coverage)) {
    for (const [id, count] of Object.entries(data.s ?? {})) out.set(file + '|s' + id, count);
    for (const [id, count] of Object.entries(data.f ?? {})) out.set(file + '|f' + id, count);
    for (const [id, arms] of Object.entries(data.b ?? {})) arms.forEach((count, arm) => out.set(file + '|b' + id + '.' + arm, count));
  }
  return out;
}

function describeValue(value, depth = 0) {
  if (value === undefined) return { t: 'undef' };
  if (value === null) return { t: 'prim', v: null };
  const type = typeof value;
  if (type === 'number') return Number.isNaN(value) ? { t: 'nan' } : Number.isFinite(value) ? { t: 'prim', v: Object.is(value, -0) ? 0 : value } : { t: 'any' };
  if (type === 'string' || type === 'boolean') return { t: 'prim', v: value };
  if (type === 'function') return { t: 'fn' };
  if (type !== 'object') return { t: 'any' };
  if (value instanceof RealDate) return { t: 'date' };
  if (typeof value.statusCode === 'number' && typeof value.json === 'function' && typeof value.headers === 'object') {
    let body;
    try {
      body = value.body === '' ? undefined : describeValue(JSON.parse(value.body), 1);
    } catch {
      body = undefined;
    }
    return { t: 'response', status: value.statusCode, body };
  }
  if (depth > 4) return { t: 'any' };
  if (Array.isArray(value)) return { t: 'arr', length: value.length, items: value.slice(0, 10).map((item) => describeValue(item, depth + 1)) };
  const proto = Object.getPrototypeOf(value);
  const ctor = proto && proto.constructor && typeof proto.constructor.name === 'string' ? proto.constructor.name : 'Object';
  if (value instanceof Map || value instanceof Set || value instanceof Promise || ArrayBuffer.isView(value) || value instanceof RegExp || value instanceof Error) return { t: 'other', ctor };
  const fields = {};
  for (const key of Object.keys(value).slice(0, 30)) fields[key] = describeValue(value[key], depth + 1);
  return { t: 'obj', ctor, fields };
}

function failure(error) {
  return { name: String((error && error.name) || 'Error'), message: String(error && error.message !== undefined ? error.message : error) };
}

async function settle(call) {
  let returned;
  try {
    returned = call();
  } catch (error) {
    return { promise: false, threw: failure(error) };
  }
  if (returned && typeof returned.then === 'function') {
    let timer;
    const late = new Promise((resolve) => {
      timer = setTimeout(() => resolve({ promise: true, timeout: true }), 5000);
    });
    try {
      return await Promise.race([Promise.resolve(returned).then((value) => ({ promise: true, value: describeValue(value) }), (error) => ({ promise: true, threw: failure(error) })), late]);
    } finally {
      clearTimeout(timer);
    }
  }
  return { promise: false, value: describeValue(returned) };
}

async function runAll(pass) {
  for (const [id, scenario] of scenarios) {
    const before = pass === 0 ? counters() : undefined;
    let marked = false;
    let outcome;
    try {
      outcome = await scenario(() => {
        marked = true;
      });
    } catch (error) {
      outcome = marked ? { promise: false, threw: failure(error) } : { promise: false, setupFailed: failure(error).message };
    }
    let reached = null;
    if (before) {
      const after = counters();
      reached = [];
      for (const [key, count] of after) if (count > (before.get(key) ?? 0)) reached.push(key);
    }
    appendFileSync(OUT, JSON.stringify({ kind: 'scenario', id, pass, outcome, reached }) + '\n');
  }
}

it('orchestrate probe', async () => {
  const start = counters();
  appendFileSync(OUT, JSON.stringify({ kind: 'start', initial: start ? [...start].filter(([, count]) => count > 0).map(([key]) => key) : null }) + '\n');
  await runAll(0);
  globalThis.Date = ShiftedDate;
  try {
    await runAll(1);
  } finally {
    globalThis.Date = RealDate;
  }
}, 600000);
`;
