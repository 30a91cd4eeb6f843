/**
 * The probe: one test file, run once by the target's own runner (so its
 * TypeScript set-up, module resolution and mocks apply), that carries out
 * every scenario twice and writes what happened, one JSON line each. The
 * second pass runs with the clock moved days ahead, so a value that depends
 * on the time, on randomness or on what ran before differs between the passes
 * and is never pinned. In the first pass the probe records which code each
 * scenario reached, whatever the runner: V8's precise block coverage, read
 * through `node:inspector` before and after each scenario (the module is
 * imported only once coverage is on, so every function gets block counters);
 * for a gap task under Jest, istanbul's counters instead, so that they compare
 * with what the source's other tests reach. The generator keeps only the
 * scenarios that add coverage. Several sources' probes run in one run of the
 * runner, each file writing its own results.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runCandidates, type RunResult } from '../verify.js';
import { compilerApi } from '../analyze.js';
import { subjectDynamicImport } from '../subject-import.js';
import { asCommonJsTest, isCommonJsTest } from '../commonjs-test.js';
import type { Scenario } from './scenarios.js';
import type { Dependency } from './pools.js';

/** A value as the probe saw it: enough to write an assertion, nothing that cannot be compared. */
export type Spec =
  | { t: 'prim'; v: string | number | boolean | null }
  | { t: 'undef' }
  | { t: 'nan' }
  | { t: 'date' }
  | { t: 'fn' }
  /** `iter`: the call returned an iterator (a generator's, a Map's), drained into the array its items make. */
  | { t: 'arr'; items: Spec[]; length: number; iter?: boolean }
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
  /** Per scenario id: the outcome of both passes and what the first pass reached (coverage unit keys). */
  outcomes: Map<number, { first: Outcome; second: Outcome | undefined; reached: string[] }>;
  /** Coverage keys reached by loading the modules, before any scenario. */
  initial: string[];
  /** Whether coverage was measured (V8 block coverage, or istanbul's counters under Jest for a gap task). */
  measured: boolean;
  /** Scenarios left out because the time budget ran out. */
  unrun?: number;
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
  /** `istanbul` reads Jest's instrumentation counters (a gap task, to compare with other tests); default V8 block coverage. */
  counters?: 'v8' | 'istanbul';
  /** Stop starting scenarios after this long (each pass); the rest are left out. */
  budgetMs?: number;
  /** A test file is JavaScript: the probe must be too. */
  javascript?: boolean;
  signal: AbortSignal;
}

/** The files whose coverage counts for a source: every script under its top folder (what the probe and a gap task's related tests instrument alike). */
export function instrumentedGlob(source: string): string {
  const top = source.includes('/') ? source.split('/')[0] : '.';
  return `${top}/**/*.{ts,tsx,js,jsx,mts,cts,mjs,cjs}`;
}

/** Run several sources' probes in one run of the runner (they share its framework and settings). */
export async function runProbes(requests: readonly ProbeRequest[], scratch: string): Promise<ProbeResult[]> {
  const first = requests[0];
  if (first === undefined) return [];
  const outs = requests.map((_, i) => path.join(scratch, `probe-${i}.jsonl`));
  const istanbul = requests.some((r) => r.counters === 'istanbul');
  const runs = await runCandidates({
    root: first.root,
    framework: first.framework,
    files: requests.map((request, i) => ({ testFile: request.testFile, text: probeText(request, outs[i] as string) })),
    source: first.source,
    coverage: istanbul && first.framework === 'jest' ? { from: instrumentedGlob(first.source) } : false,
    esm: first.esm,
    signal: first.signal,
    // Both passes of every probe, two files at a time, and the runner's start: a probe stuck in a loop costs this much, not the whole task.
    timeoutMs: 2 * Math.ceil(requests.length / 2) * Math.max(...requests.map((r) => r.budgetMs ?? 60_000)) + 90_000,
  });
  return Promise.all(requests.map(async (request, i) => readProbe(outs[i] as string, runs[i] as RunResult)));
}

async function readProbe(out: string, run: RunResult): Promise<ProbeResult> {
  const lines = await readFile(out, 'utf8').catch(() => '');
  const outcomes: ProbeResult['outcomes'] = new Map();
  const deltas = new Map<number, Record<string, number[]>>();
  let initial: string[] = [];
  let measured = false;
  let v8 = false;
  let unrun = 0;
  for (const line of lines.split('\n')) {
    if (line === '') continue;
    let record: { kind: string; id?: number; pass?: number; outcome?: Outcome; reached?: string[] | null; ranges?: Record<string, number[]> | null; initial?: string[] | null; v8?: boolean; unrun?: number };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      continue; // a line cut short by a crash
    }
    if (record.kind === 'start') {
      v8 = record.v8 === true;
      measured = v8 || Array.isArray(record.initial);
      initial = record.initial ?? [];
    } else if (record.kind === 'budget') {
      unrun = record.unrun ?? 0;
    } else if (record.kind === 'scenario' && record.id !== undefined && record.outcome) {
      const entry = outcomes.get(record.id) ?? { first: record.outcome, second: undefined, reached: [] };
      if (record.pass === 0) {
        entry.first = record.outcome;
        entry.reached = record.reached ?? [];
        if (record.ranges) deltas.set(record.id, record.ranges);
      } else entry.second = record.outcome;
      outcomes.set(record.id, entry);
    }
  }
  if (v8) {
    const reached = reachedUnits(deltas);
    for (const [id, entry] of outcomes) entry.reached = reached.get(id) ?? [];
  }
  const error = outcomes.size === 0 ? (run.suiteError ?? [...run.failed.values()][0] ?? 'the probe wrote nothing') : undefined;
  return { outcomes, initial, measured, error, unrun };
}

/**
 * Coverage units each scenario reached, from V8's per-scenario block counts.
 * V8 leaves out a block whose count equals its parent's, so the units are the
 * starts of every range seen in any scenario; a unit was reached by a scenario
 * when the innermost of that scenario's ranges holding it counted above zero.
 */
export function reachedUnits(deltas: ReadonlyMap<number, Record<string, number[]>>): Map<number, string[]> {
  const units = new Map<string, Set<number>>();
  for (const ranges of deltas.values()) {
    for (const [script, flat] of Object.entries(ranges)) {
      const set = units.get(script) ?? new Set<number>();
      for (let i = 0; i < flat.length; i += 3) set.add(flat[i] as number);
      units.set(script, set);
    }
  }
  const sortedUnits = new Map([...units].map(([script, set]) => [script, [...set].sort((a, b) => a - b)] as const));
  const out = new Map<number, string[]>();
  for (const [id, ranges] of deltas) {
    const reached: string[] = [];
    for (const [script, flat] of Object.entries(ranges)) {
      const list: [number, number, number][] = [];
      for (let i = 0; i < flat.length; i += 3) list.push([flat[i] as number, flat[i + 1] as number, flat[i + 2] as number]);
      // Ranges nest, so a sweep with a stack finds each unit's innermost range.
      list.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
      const stack: [number, number, number][] = [];
      let next = 0;
      for (const unit of sortedUnits.get(script) ?? []) {
        while (next < list.length && (list[next] as [number, number, number])[0] <= unit) {
          const range = list[next] as [number, number, number];
          while (stack.length > 0 && (stack[stack.length - 1] as [number, number, number])[1] <= range[0]) stack.pop();
          stack.push(range);
          next++;
        }
        while (stack.length > 0 && (stack[stack.length - 1] as [number, number, number])[1] <= unit) stack.pop();
        const innermost = stack[stack.length - 1];
        if (innermost !== undefined && innermost[2] > 0) reached.push(`${script}|${unit}`);
      }
    }
    out.set(id, reached);
  }
  return out;
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
  // The modules are imported only once coverage is on (see the runtime's load()): code compiled before would have no block counters.
  const aliases = ['subject', ...request.dependencies.map((d) => d.alias)];
  const load = [
    ...subjectDynamicImport({ format: request.format }, request.importPath),
    ...request.dependencies.map((d) => `${d.alias} = await import(${JSON.stringify(d.specifier)});`),
  ];
  const text = `// @ts-nocheck
// Probe written by orchestrate test_generation for ${request.source}; removed after the run.
${api.join('\n')}
import { appendFileSync } from 'node:fs';
import inspector from 'node:inspector';
${(request.imports ?? []).join('\n')}

const OUT = ${JSON.stringify(out)};
const ROOT = ${JSON.stringify(request.root.split(path.sep).join('/'))};
const COUNTERS = ${JSON.stringify(request.counters ?? 'v8')};
const BUDGET_MS = ${JSON.stringify(request.budgetMs ?? 60_000)};
let ${aliases.join(', ')};
// A module that throws when loaded (a configuration module missing a variable) fails only the scenarios that use it: those that import it themselves under their own environment still run.
let loadError;
async function load() {
  try {
${load.map((line) => `    ${line}`).join('\n')}
  } catch (error) {
    loadError = error;
  }
}
// Scenarios that reach the module through the probe's own import: they say nothing when it failed.
const NEEDS_MODULE = new Set(${JSON.stringify(request.scenarios.filter((s) => [...s.setup, s.call, ...s.cleanup].some((line) => aliases.some((alias) => line.includes(`${alias}.`)))).map((s) => s.id))});
const scenarios = [
${scenarios.join('\n')}
];
${PROBE_RUNTIME}
`;
  return !request.javascript ? text : isCommonJsTest(request.testFile, request) ? asCommonJsTest(stripTypes(text)) : stripTypes(text);
}

/** The text as JavaScript: TypeScript-only syntax in scenario lines (casts, annotations) removed, imports kept. */
export function stripTypes(text: string): string {
  const ts = compilerApi();
  return ts.transpileModule(text, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.Preserve, verbatimModuleSyntax: true } }).outputText;
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

// V8 precise block coverage of this process, read between scenarios (each read resets the counts).
let session;
function post(method, params) {
  return new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
}
async function startV8() {
  try {
    session = new inspector.Session();
    session.connect();
    await post('Profiler.enable');
    await post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
    return true;
  } catch {
    session = undefined;
    return false;
  }
}
function scriptName(url) {
  let name = String(url);
  if (name.startsWith('file://')) {
    try {
      name = decodeURIComponent(new URL(name).pathname);
    } catch {}
  }
  name = name.split('\\').join('/').split('?')[0];
  if (!name.startsWith(ROOT + '/')) return undefined;
  const inside = name.slice(ROOT.length + 1);
  // The project's own code only: not its packages, not the probe.
  return /(^|\/)node_modules\//.test(inside) || inside.includes('orchestrate-verify-') ? undefined : inside;
}
// Ranges of the project's scripts that ran since the last read, flat [start, end, count, ...] per script: the functions that ran and the functions inside them.
async function takeV8() {
  const { result } = await post('Profiler.takePreciseCoverage');
  const out = {};
  for (const script of result) {
    const name = scriptName(script.url);
    if (name === undefined) continue;
    const ran = script.functions.filter((fn) => fn.ranges[0] && fn.ranges[0].count > 0).map((fn) => fn.ranges[0]);
    if (ran.length === 0) continue;
    const flat = [];
    for (const fn of script.functions) {
      const outer = fn.ranges[0];
      if (!outer) continue;
      if (outer.count === 0 && !ran.some((r) => r.startOffset <= outer.startOffset && outer.endOffset <= r.endOffset)) continue;
      for (const range of fn.ranges) flat.push(range.startOffset, range.endOffset, range.count);
    }
    out[name] = flat;
  }
  return out;
}

const ITERATOR_TAGS = new Set(['[object Generator]', '[object Map Iterator]', '[object Set Iterator]', '[object Array Iterator]', '[object String Iterator]']);
const MAX_DRAINED = 100;

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
  // Array.from visits the holes of a sparse array (map skips them, and JSON would write them as null).
  if (Array.isArray(value)) return { t: 'arr', length: value.length, items: Array.from(value.slice(0, 10), (item) => describeValue(item, depth + 1)) };
  // An iterator a call returns runs nothing until it is read: drained here (the test spreads it the same way), so the code
  // behind keys() or entries() runs and its items are pinned. Only a generator's or a built-in collection's, and only a
  // finite one: an object that is its own iterator is state, and an endless generator would hang the test.
  if (depth === 0 && ITERATOR_TAGS.has(Object.prototype.toString.call(value))) {
    const items = [];
    for (const item of value) {
      items.push(item);
      if (items.length > MAX_DRAINED) return { t: 'other', ctor: 'Iterator' };
    }
    return { t: 'arr', iter: true, length: items.length, items: items.slice(0, 10).map((item) => describeValue(item, depth + 1)) };
  }
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

async function runAll(pass, v8, only) {
  const started = RealDate.now();
  let count = 0;
  for (const [id, scenario] of scenarios) {
    if (only && !only.has(id)) continue;
    if (pass === 0 && count > 0 && RealDate.now() - started > BUDGET_MS) {
      appendFileSync(OUT, JSON.stringify({ kind: 'budget', unrun: scenarios.length - count }) + '\n');
      break;
    }
    count++;
    const before = pass === 0 && !v8 ? counters() : undefined;
    let marked = false;
    let outcome;
    if (loadError !== undefined && NEEDS_MODULE.has(id)) {
      appendFileSync(OUT, JSON.stringify({ kind: 'scenario', id, pass, outcome: { promise: false, setupFailed: 'the module failed to load: ' + failure(loadError).message }, reached: null, ranges: null }) + '\n');
      ran.add(id);
      continue;
    }
    try {
      outcome = await scenario(() => {
        marked = true;
      });
    } catch (error) {
      outcome = marked ? { promise: false, threw: failure(error) } : { promise: false, setupFailed: failure(error).message };
    }
    let reached = null;
    let ranges = null;
    if (before) {
      const after = counters();
      reached = [];
      for (const [key, count] of after) if (count > (before.get(key) ?? 0)) reached.push(key);
    }
    if (v8 && pass === 0) ranges = await takeV8();
    appendFileSync(OUT, JSON.stringify({ kind: 'scenario', id, pass, outcome, reached, ranges }) + '\n');
    ran.add(id);
  }
}
const ran = new Set();

it('orchestrate probe', async () => {
  const v8 = COUNTERS === 'v8' && (await startV8());
  await load();
  // What loading ran is not a scenario's: read (and so reset) it first. Each scenario's read then holds that scenario alone.
  if (v8) await takeV8();
  const start = v8 ? undefined : counters();
  appendFileSync(OUT, JSON.stringify({ kind: 'start', v8, initial: start ? [...start].filter(([, count]) => count > 0).map(([key]) => key) : null }) + '\n');
  await runAll(0, v8);
  if (session) {
    await post('Profiler.stopPreciseCoverage').catch(() => undefined);
    session.disconnect();
  }
  globalThis.Date = ShiftedDate;
  try {
    await runAll(1, false, new Set(ran));
  } finally {
    globalThis.Date = RealDate;
  }
}, 600000);
`;
