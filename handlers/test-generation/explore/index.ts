/**
 * Exploration: the step that turns "call it and see that it does not throw"
 * into tests that pin what the code does. It learns the types the source
 * imports, builds scenarios (calls with varied arguments, or requests to the
 * app), runs them in the probe, keeps those that reach code nothing before
 * them reached (or, without coverage counters, those whose outcome is new for
 * their callable), and writes each as a test with the observed result as its
 * assertion. For a gap task the code already reached by the source's other
 * tests counts as reached from the start, so only what they miss is added.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { analyzeSource } from '../analyze.js';
import type { TestCase } from '../blocks.js';
import type { TestStyle } from '../detect.js';
import type { ModuleAnalysis } from '../types.js';
import { mergeOutcomes, scenarioTest, type MergedOutcome } from './assert.js';
import { emptyWorld, harvestLiterals, type Dependency, type TypeWorld } from './pools.js';
import type { ProbeRequest, ProbeResult } from './probe.js';
import { buildScenarios, type Scenario } from './scenarios.js';
import { routeScenarios } from './routes.js';
import { coveredByOtherTests } from './baseline.js';
import { addDeclared } from './declared.js';
import { mineExamples } from './examples.js';
import { exportedNames } from '../blocks.js';

export interface ExploreRequest {
  root: string;
  source: string;
  sourceText: string;
  testFile: string;
  importPath: string;
  analysis: ModuleAnalysis;
  kind: 'service' | 'route' | 'config';
  style: TestStyle;
  /** Count what the source's other tests reach as reached already (a gap task). */
  gapsOnly: boolean;
  /** Stop starting scenarios after this long (each of the probe's passes). */
  budgetMs?: number;
  /** Import specifier for a root-relative module, as the test file would write it. */
  specifierFor: (module: string) => string;
  signal: AbortSignal;
  log: (line: string) => void;
}

export interface Explored {
  /** Tests per block id, in the order they were kept. */
  tests: Map<string, TestCase[]>;
  /** Callables that now have explored tests (their plain checks and placeholders give way). */
  owners: Set<string>;
  /** Placeholders per block id for faults the exploration saw (a route answering with a server error). */
  todos: Map<string, string[]>;
  dependencies: Dependency[];
  /** Extra import lines the tests need (Fastify for requests, the app factory's module). */
  imports: string[];
  /** What was tried, for the log and the task's summary. */
  tried: number;
  kept: number;
  measured: boolean;
}

/** A module's exploration up to the probe run: its scenarios and what they import. */
export interface PreparedExploration {
  request: ExploreRequest;
  scenarios: Scenario[];
  imports: string[];
  dependencies: Dependency[];
  scratch: string;
}

/** Scenarios for the module (a route module's after its discovery run); undefined when there are none. Dispose of the result when done. */
export async function prepareExploration(request: ExploreRequest): Promise<PreparedExploration | undefined> {
  const { analysis } = request;
  const { world, dependencies } = typeWorld(request);
  world.examples = await mineExamples(request.root, request.source, exportedNames(analysis));
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'orchestrate-probe-'));
  let prepared: PreparedExploration | undefined;
  try {
    if (request.kind === 'route') {
      const routes = await routeScenarios(request, scratch);
      if (routes !== undefined && routes.scenarios.length > 0) prepared = { request, scenarios: routes.scenarios, imports: routes.imports, dependencies: [...dependencies, ...routes.dependencies], scratch };
    } else {
      const scenarios = buildScenarios(analysis, { kind: request.kind, world });
      if (scenarios.length > 0) prepared = { request, scenarios, imports: [], dependencies, scratch };
    }
    return prepared;
  } finally {
    if (prepared === undefined) await rm(scratch, { recursive: true, force: true });
  }
}

/** Remove the exploration's scratch folder. */
export async function disposeExploration(prepared: PreparedExploration): Promise<void> {
  await rm(prepared.scratch, { recursive: true, force: true });
}

/** What the probe needs to run the prepared scenarios. */
export function probeRequestFor(prepared: PreparedExploration): ProbeRequest {
  const { request } = prepared;
  return {
    root: request.root,
    framework: request.style.framework,
    testFile: request.testFile,
    source: request.source,
    importPath: request.importPath,
    dependencies: prepared.dependencies,
    imports: prepared.imports,
    scenarios: prepared.scenarios,
    esm: request.style.esm,
    format: request.analysis.format,
    // A gap task compares with what the other tests reach, which Jest reports as istanbul counters.
    counters: request.gapsOnly && request.style.framework === 'jest' ? 'istanbul' : 'v8',
    budgetMs: request.budgetMs,
    javascript: /\.[cm]?jsx?$/.test(request.testFile),
    signal: request.signal,
  };
}

/** A probe that could not run, as a result (an abort still stops the task). */
export function probeFailure(request: ExploreRequest, error: unknown): ProbeResult {
  request.signal.throwIfAborted();
  return { outcomes: new Map(), initial: [], measured: false, error: String(error) };
}

/** Choose the scenarios worth a test from the probe's results and turn them into tests. */
export async function finishExploration(prepared: PreparedExploration, probe: ProbeResult): Promise<Explored | undefined> {
  const { request, scenarios, imports } = prepared;
  const allDependencies = prepared.dependencies;
  if (probe.error !== undefined) {
    request.log(`${request.source}: exploring its behaviour failed, plain checks only: ${probe.error.split('\n')[0]}`);
    return undefined;
  }
  const baseline = request.gapsOnly && probe.measured ? await coveredByOtherTests(request, prepared.scratch) : new Set<string>();
  // A gap file holds only what reaches code the other tests miss.
  const chosen = select(scenarios, probe, baseline, request.gapsOnly ? 0 : EXTRA_PER_CALLABLE);
  const tests = new Map<string, TestCase[]>();
  const owners = new Set<string>();
  for (const { scenario, outcome } of chosen) {
    tests.set(scenario.block, [...(tests.get(scenario.block) ?? []), scenarioTest(scenario, outcome)]);
    owners.add(scenario.owner);
    // The configuration block's "X: behaviour when it is missing or malformed" placeholder is answered by a kept test varying X.
    for (const name of scenario.varies ?? []) owners.add(name);
  }
  // A route that answers with a server error gets a placeholder naming the request, in place of its plain check (which would fail).
  const todos = new Map<string, string[]>();
  for (const fault of serverErrors(scenarios, probe)) {
    todos.set(fault.scenario.block, [...(todos.get(fault.scenario.block) ?? []), `${fault.scenario.shown} answers ${fault.status}, a server error${fault.message ? ` (${fault.message})` : ''}: fix the handler or specify what it should answer`]);
    owners.add(fault.scenario.owner);
  }
  const used = (alias: string) => chosen.some(({ scenario }) => [...scenario.setup, scenario.call, ...scenario.cleanup].some((line) => line.includes(`${alias}.`)));
  const budget = probe.unrun ? `, ${probe.unrun} left untried when its time budget ran out` : '';
  request.log(`${request.source}: tried ${scenarios.length - (probe.unrun ?? 0)} scenarios, kept ${chosen.length}${probe.measured ? ' that reach code nothing before them reached' : ''}${budget}`);
  return {
    tests,
    owners,
    todos,
    dependencies: allDependencies.filter((d) => used(d.alias)),
    imports: chosen.some(({ scenario }) => scenario.request) ? imports : [],
    tried: scenarios.length - (probe.unrun ?? 0),
    kept: chosen.length,
    measured: probe.measured,
  };
}

/** Requests the app answered with a server error in both runs, first per route. */
export function serverErrors(scenarios: readonly Scenario[], probe: ProbeResult): { scenario: Scenario; status: number; message: string | undefined }[] {
  const out: { scenario: Scenario; status: number; message: string | undefined }[] = [];
  const seen = new Set<string>();
  for (const scenario of scenarios) {
    const result = probe.outcomes.get(scenario.id);
    const outcome = result === undefined ? undefined : mergeOutcomes(result.first, result.second);
    if (outcome?.value?.t !== 'response' || outcome.value.status < 500 || seen.has(scenario.owner)) continue;
    seen.add(scenario.owner);
    const body = outcome.value.body;
    const message = body?.t === 'obj' && body.fields['message']?.t === 'prim' ? String(body.fields['message'].v) : undefined;
    out.push({ scenario, status: outcome.value.status, message: message === undefined ? undefined : message.slice(0, 80) });
  }
  return out;
}

/** Scenarios worth a test, in order: each must reach something new (or, unmeasured, behave in a new way). */
export function select(scenarios: readonly Scenario[], probe: ProbeResult, baseline: ReadonlySet<string>, extraPerCallable = EXTRA_PER_CALLABLE): { scenario: Scenario; outcome: MergedOutcome }[] {
  const already = new Set<string>([...probe.initial, ...baseline]);
  const covered = new Set<string>(already);
  const seen = new Map<string, Set<string>>();
  const outcomes = new Map<string, Set<string>>();
  const extras = new Map<string, number>();
  const extraIds = new Set<number>();
  const out: { scenario: Scenario; outcome: MergedOutcome }[] = [];
  for (const scenario of scenarios) {
    const result = probe.outcomes.get(scenario.id);
    if (result === undefined) continue;
    const outcome = mergeOutcomes(result.first, result.second);
    if (outcome === undefined) continue;
    // A server error is a fault to fix, not behaviour to pin.
    if (outcome.value?.t === 'response' && outcome.value.status >= 500) continue;
    if (probe.measured) {
      const gain = result.reached.filter((key) => !covered.has(key));
      const exact = outcomeKey(outcome);
      const pinned = outcomes.get(scenario.owner) ?? new Set<string>();
      if (gain.length === 0) {
        // Reaching nothing new, a call is still worth a test when it pins a value its callable has not shown yet (what catches a changed sum or a lost update), a few per callable.
        const extra = extras.get(scenario.owner) ?? 0;
        if (scenario.request || extra >= extraPerCallable || pinned.has(exact) || !pinsSomething(outcome)) continue;
        extras.set(scenario.owner, extra + 1);
        extraIds.add(scenario.id);
      }
      pinned.add(exact);
      outcomes.set(scenario.owner, pinned);
      for (const key of result.reached) covered.add(key);
    } else {
      const signature = outcome.threw ? `threw ${messageShape(outcome.threw.message ?? '')}` : `value ${outcome.value?.t ?? ''}`;
      const mine = seen.get(scenario.owner) ?? new Set<string>();
      if (mine.has(signature) || mine.size >= 6) continue;
      mine.add(signature);
      seen.set(scenario.owner, mine);
    }
    out.push({ scenario, outcome });
  }
  if (!probe.measured) return out;
  // Requests are not minimised: a route's tests also guard what V8's blocks do not tell apart (the body a status comes with),
  // and the demo's route thresholds were met only with every request that reached new code when it was tried.
  const minimal = minimise(out.filter(({ scenario }) => !extraIds.has(scenario.id) && !scenario.request), probe, already);
  return out.filter((entry) => extraIds.has(entry.scenario.id) || entry.scenario.request === true || minimal.includes(entry));
}

/** Tests kept for a value alone, beyond those reaching new code, per callable. */
const EXTRA_PER_CALLABLE = 2;

/** An outcome as a key: errors by the shape of their message (numbers from the arguments left out), values whole. */
function outcomeKey(outcome: MergedOutcome): string {
  return outcome.threw ? `threw ${messageShape(outcome.threw.message ?? '')}` : `value ${JSON.stringify(outcome.value)}`;
}

/** Whether the test would pin a value, not only its type. */
function pinsSomething(outcome: MergedOutcome): boolean {
  if (outcome.threw) return true;
  const value = outcome.value;
  return value !== undefined && value.t !== 'any' && value.t !== 'undef' && value.t !== 'fn' && value.t !== 'other';
}

/**
 * Leave out kept scenarios whose coverage the others kept reach as well
 * (latest first), unless a scenario is its callable's only one with its kind
 * of outcome: a value and an error are both worth pinning.
 */
export function minimise(kept: { scenario: Scenario; outcome: MergedOutcome }[], probe: ProbeResult, already: ReadonlySet<string>): { scenario: Scenario; outcome: MergedOutcome }[] {
  const units = kept.map(({ scenario }) => (probe.outcomes.get(scenario.id)?.reached ?? []).filter((key) => !already.has(key)));
  const count = new Map<string, number>();
  for (const list of units) for (const key of list) count.set(key, (count.get(key) ?? 0) + 1);
  const signature = ({ scenario, outcome }: { scenario: Scenario; outcome: MergedOutcome }) => `${scenario.owner}|${outcome.threw ? 'threw' : 'value'}`;
  const signatures = new Map<string, number>();
  for (const entry of kept) signatures.set(signature(entry), (signatures.get(signature(entry)) ?? 0) + 1);
  const drop = new Set<number>();
  for (let i = kept.length - 1; i >= 0; i--) {
    const list = units[i] as string[];
    const entry = kept[i] as { scenario: Scenario; outcome: MergedOutcome };
    if (list.some((key) => (count.get(key) ?? 0) < 2) || (signatures.get(signature(entry)) ?? 0) < 2) continue;
    drop.add(i);
    for (const key of list) count.set(key, (count.get(key) ?? 0) - 1);
    signatures.set(signature(entry), (signatures.get(signature(entry)) ?? 0) - 1);
  }
  return kept.filter((_, i) => !drop.has(i));
}

/** A message with the numbers and long runs it echoes from the arguments left out: "no item 1" and "no item 2" are one outcome. */
export function messageShape(message: string): string {
  return message.replace(/-?\d+(\.\d+)?/g, '#').replace(/(.)\1{19,}/g, '$1…');
}

/** Types and factories from the source and the relative modules it imports. */
function typeWorld(request: ExploreRequest): { world: TypeWorld; dependencies: Dependency[] } {
  const { analysis } = request;
  const world = emptyWorld();
  const literals = harvestLiterals(request.sourceText);
  world.strings = literals.strings;
  world.numbers = literals.numbers;
  Object.assign(world.shapes, analysis.shapes);
  Object.assign(world.unions, analysis.unions);
  const dependencies: Dependency[] = [];
  const wanted = new Set<string>();
  const collect = (type: string) => {
    for (const name of type.match(/[A-Za-z_$][\w$]*/g) ?? []) wanted.add(name);
  };
  for (const fn of analysis.functions) fn.params.forEach((p) => collect(p.type));
  for (const cls of analysis.classes) {
    (cls.ctorParams ?? []).forEach((p) => collect(p.type));
    for (const m of cls.methods) m.params.forEach((p) => collect(p.type));
  }
  for (const value of analysis.consts) for (const m of value.methods) m.params.forEach((p) => collect(p.type));
  for (const shape of Object.values(analysis.shapes)) shape.forEach((p) => collect(p.type));

  addFactories(world, analysis, 'subject', wanted);
  const modules = new Map<string, { analysis: ModuleAnalysis; alias: string }>();
  for (const spec of [...new Set(analysis.imports.filter((s) => s.startsWith('.')))]) {
    const file = resolveModule(request.root, request.source, spec);
    if (file === undefined) continue;
    let other: ModuleAnalysis;
    try {
      other = analyzeSource(file, readFileSync(path.join(request.root, file), 'utf8'));
    } catch {
      continue;
    }
    if (other.syntaxErrors.length > 0) continue;
    const alias = aliasFor(file, [...modules.values()].map((m) => m.alias));
    modules.set(spec, { analysis: other, alias });
    for (const binding of analysis.importBindings.filter((b) => b.from === spec)) {
      const union = other.unions[binding.imported];
      if (union) world.unions[binding.local] ??= union;
      const shape = other.shapes[binding.imported];
      if (shape) {
        world.shapes[binding.local] ??= shape;
        shape.forEach((p) => collect(p.type));
      }
    }
    for (const [name, union] of Object.entries(other.unions)) world.unions[name] ??= union;
    if (addFactories(world, other, alias, wanted)) dependencies.push({ alias, specifier: request.specifierFor(file) });
  }
  dependencies.push(...addDeclared(world, analysis, request.source, request.specifierFor, dependencies));
  return { world, dependencies };
}

/** Record how `module` (known in tests as `alias`) makes values of wanted types; true when it makes any. */
function addFactories(world: TypeWorld, module: ModuleAnalysis, alias: string, wanted: ReadonlySet<string>): boolean {
  let any = false;
  for (const fn of module.functions) {
    const returns = fn.returns.replace(/^Promise<(.*)>$/, '$1');
    if (fn.name === 'default' || !wanted.has(returns) || Object.hasOwn(world.factories, returns) || fn.async || /^Promise</.test(fn.returns)) continue;
    if (!fn.params.every((p) => p.optional || p.rest)) continue;
    world.factories[returns] = `${alias}.${fn.name}()`;
    any = true;
  }
  for (const cls of module.classes) {
    if (cls.name === 'default' || cls.abstract || !wanted.has(cls.name) || Object.hasOwn(world.factories, cls.name)) continue;
    if (!(cls.ctorParams ?? []).every((p) => p.optional || p.rest)) continue;
    world.factories[cls.name] = `new ${alias}.${cls.name}()`;
    any = true;
  }
  return any;
}

/** The root-relative file a relative import of `source` names, if it is there. */
export function resolveModule(root: string, source: string, spec: string): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(source), spec));
  const stem = base.replace(/\.[cm]?js$/, '');
  const tries = [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`, `${stem}.js`, `${stem}.mjs`, `${stem}.cjs`, `${base}/index.ts`, `${base}/index.js`];
  return tries.find((file) => !file.startsWith('..') && /\.[cm]?[jt]sx?$/.test(file) && existsSync(path.join(root, file)));
}

function aliasFor(file: string, taken: string[]): string {
  const stem = path.posix.basename(file).replace(/\.[^.]+$/, '');
  const name = (stem === 'index' ? path.posix.basename(path.posix.dirname(file)) : stem)
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part, i) => (i === 0 ? part.toLowerCase() : part[0]?.toUpperCase() + part.slice(1)))
    .join('');
  let alias = `${/^[A-Za-z_$]/.test(name) ? name : `m${name}`}Module`;
  for (let n = 2; taken.includes(alias); n++) alias = `${name}Module${n}`;
  return alias;
}
