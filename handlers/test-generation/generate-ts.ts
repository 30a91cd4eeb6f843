/**
 * Generates the test file for one TS/JS source: analyses it, picks the kind
 * of test (service, route, config), renders the blocks, merges them into an
 * existing generated file without touching its bytes, formats, and, when asked,
 * runs the candidate alone and drops the tests that fail (a dropped test
 * becomes an `it.todo` naming what failed, so the gap stays visible).
 */
import path from 'node:path';
import { UserError } from '../../src/errors.js';
import { analyzeSource, loadAnalyzer } from './analyze.js';
import { refineWithChecker } from './analyze-checker.js';
import { buildBlocks, type Block, type TemplateKind } from './blocks.js';
import type { TestStyle } from './detect.js';
import { formatCode } from './format.js';
import { appendBlocks, blockIds, isGenerated, renderBlock, renderFile } from './test-file.js';
import type { GeneratedTests, ModuleAnalysis } from './types.js';
import { runCandidate, runCandidates, type RunResult } from './verify.js';
import { disposeExploration, finishExploration, prepareExploration, probeFailure, probeRequestFor, type Explored, type ExploreRequest, type PreparedExploration } from './explore/index.js';
import { runProbes, stripTypes, type ProbeResult } from './explore/probe.js';
import { asCommonJsTest, isCommonJsTest } from './commonjs-test.js';

/** Titles of the plain checks that only say a member is there. */
const EXISTENCE_CHECK = / is a (function|method|class)$| is defined$| makes an instance$/;

/** Packages whose import means a connection to the outside world: replaced by automatic mocks in the tests. */
const SIDE_EFFECT_PACKAGES = /^(pg|pg-pool|mysql|mysql2|mongodb|mongoose|ioredis|redis|axios|node-fetch|undici|got|@prisma\/client|nodemailer|aws-sdk|@aws-sdk\/[\w-]+|kafkajs|amqplib|@sendgrid\/mail|twilio|stripe|knex|sequelize|typeorm|bullmq|bull|firebase-admin|@google-cloud\/[\w-]+)$/;

export interface TsTestRequest {
  root: string;
  source: string;
  sourceText: string;
  testFile: string;
  existing: string | undefined;
  template: 'auto' | TemplateKind;
  style: TestStyle;
  overwrite: boolean;
  verify: boolean;
  coverage: boolean;
  /** Time the probe may spend starting scenarios for this source (each pass). */
  budgetMs?: number;
  signal: AbortSignal;
  log: (line: string) => void;
}

/** GeneratedTests, plus whether the candidate could not run at all (so nothing of it was kept). */
export interface TsGeneratedTests extends GeneratedTests {
  couldNotRun?: boolean;
}

/** One source's way through a batch. */
interface Item {
  request: TsTestRequest;
  /** Set once the source's result is known (written by a person, nothing to write, up to date, could not run). */
  result?: TsGeneratedTests;
  analysis?: ModuleAnalysis;
  kind?: TemplateKind;
  importPath?: string;
  blocks?: Block[];
  merging?: boolean;
  explored?: Explored | undefined;
  fresh?: Block[];
  text?: string;
  dropped?: GeneratedTests['dropped'];
  render?: (blocks: Block[]) => Promise<string>;
}

/**
 * Generate the test files for several TS/JS sources of one target: each is
 * analysed and its scenarios built, then every source's probe runs in one run
 * of the runner, and every candidate is verified in one run (and again, only
 * the files that had failing tests, until they pass): a runner start-up per
 * step for the batch instead of several per source. Route modules keep their
 * own discovery run. Results come back in the order of the requests.
 */
export async function generateTsBatch(requests: readonly TsTestRequest[]): Promise<TsGeneratedTests[]> {
  await loadAnalyzer();
  const items: Item[] = requests.map((request) => ({ request }));
  const prepared: { item: Item; prep: PreparedExploration }[] = [];
  try {
    for (const item of items) {
      item.request.signal.throwIfAborted();
      const prep = await prepareItem(item);
      if (prep !== undefined) prepared.push({ item, prep });
    }
    if (prepared.length > 0) {
      const first = prepared[0] as { item: Item; prep: PreparedExploration };
      const probes = await runProbes(prepared.map(({ prep }) => probeRequestFor(prep)), first.prep.scratch).catch((error: unknown) => prepared.map(({ item }) => probeFailure(explorationRequest(item), error)));
      for (const [i, { item, prep }] of prepared.entries()) {
        let explored = await finishExploration(prep, probes[i] as ProbeResult);
        // Appending to a file keeps its imports: tests that need another module's import are left out then.
        if (explored && item.merging) explored = withoutDependencies(explored);
        item.explored = explored;
      }
    }
  } finally {
    for (const { prep } of prepared) await disposeExploration(prep);
  }
  for (const item of items) if (item.result === undefined) await renderItem(item);
  await verifyItems(items.filter((item) => item.result === undefined && item.request.verify));
  for (const item of items) {
    if (item.result !== undefined) continue;
    const fresh = item.fresh ?? [];
    if (item.request.verify && item.request.coverage) {
      const verdict = await coverageVerdict(item.request, item.text ?? '');
      if (verdict !== undefined) {
        item.result = { text: item.merging ? item.request.existing : undefined, kept: [], dropped: item.dropped ?? [], todo: [], note: verdict };
        continue;
      }
    }
    item.result = { text: item.text, kept: fresh.flatMap((b) => b.tests.map((t) => t.title)), dropped: item.dropped ?? [], todo: fresh.flatMap((b) => b.todos) };
  }
  return items.map((item) => item.result as TsGeneratedTests);
}

/** Analyse the source and build its blocks; returns its scenarios when it is to be explored. */
async function prepareItem(item: Item): Promise<PreparedExploration | undefined> {
  const { request } = item;
  const { source, existing } = request;
  if (existing !== undefined && !isGenerated(existing) && !request.overwrite) {
    item.result = { text: undefined, kept: [], dropped: [], todo: [], note: `${request.testFile} was written by a person; left as it is (set overwrite: true to replace it)` };
    return undefined;
  }
  const analysis = analyzeSource(source, request.sourceText);
  if (analysis.syntaxErrors.length > 0) {
    throw new UserError(`${source} does not parse: ${analysis.syntaxErrors[0]}`, { retryable: false, file: source, hint: 'Fix the syntax error (or leave the file out of the task); nothing was written.' });
  }
  // Exploration makes values from types: the checker's resolved types give it far more to work with than the written ones.
  if (request.verify) await refineWithChecker(request.root, new Map([[source, analysis]]));
  const kind = pickKind(analysis, request.template, source);
  const api = request.style.framework === 'vitest' ? 'vi' : 'jest';
  const importPath = importSpecifier(request.testFile, source, request.style);
  const blocks = buildBlocks(analysis, { kind, api, importPath });
  const merging = existing !== undefined && !request.overwrite;
  Object.assign(item, { analysis, kind, importPath, blocks, merging });
  // Appending to a file that already has a block for every export adds nothing: no need to explore.
  // (The module block is left out of a file whose exports have behavioural tests, so it does not count.)
  const upToDate = merging && blocks.every((block) => block.id === 'module' || blockIds(existing).has(block.id));
  if (upToDate) {
    item.result = { text: existing, kept: [], dropped: [], todo: [], note: `${request.testFile} already has a block for every export` };
    return undefined;
  }
  if (!request.verify || blocks.length === 0) return undefined;
  return prepareExploration(explorationRequest(item));
}

function explorationRequest(item: Item): ExploreRequest {
  const { request } = item;
  return {
    root: request.root,
    source: request.source,
    sourceText: request.sourceText,
    testFile: request.testFile,
    importPath: item.importPath as string,
    analysis: item.analysis as ModuleAnalysis,
    kind: item.kind as TemplateKind,
    style: request.style,
    gapsOnly: request.coverage,
    budgetMs: request.budgetMs,
    specifierFor: (module) => importSpecifier(request.testFile, module, request.style),
    signal: request.signal,
    log: request.log,
  };
}

/** The candidate text of one source, from its blocks and what exploration kept. */
async function renderItem(item: Item): Promise<void> {
  const { request } = item;
  const { source, existing } = request;
  const analysis = item.analysis as ModuleAnalysis;
  let blocks = item.blocks ?? [];
  if (item.explored) blocks = withExplored(blocks, item.explored, request.coverage);
  blocks = uniqueTitles(blocks);
  if (blocks.length === 0 && request.coverage && item.explored !== undefined) {
    item.result = { text: undefined, kept: [], dropped: [], todo: [], note: `${source}: its other tests already reach all the code the generated tests reached (${item.explored.tried} tried); nothing written` };
    return;
  }
  if (blocks.length === 0) {
    item.result = { text: undefined, kept: [], dropped: [], todo: [], note: `${source} exports nothing a test can reach; nothing written` };
    return;
  }
  const present = item.merging ? blockIds(existing as string) : new Set<string>();
  item.fresh = blocks.filter((block) => !present.has(block.id));
  if (item.merging && item.fresh.length === 0) {
    item.result = { text: existing, kept: [], dropped: [], todo: [], note: `${request.testFile} already has a block for every export` };
    return;
  }
  const mocks = [...new Set(analysis.imports.filter((spec) => SIDE_EFFECT_PACKAGES.test(spec)))].sort();
  const absolute = path.join(request.root, ...request.testFile.split('/'));
  const explored = item.explored;
  const javascript = /\.[cm]?jsx?$/.test(request.testFile);
  const plain = (text: string) => (!javascript ? text : isCommonJsTest(request.testFile, request.style) ? asCommonJsTest(stripTypes(text)) : stripTypes(text));
  const render = async (current: Block[]): Promise<string> =>
    item.merging
      ? appendBlocks(existing as string, await formatCode(plain(current.map(renderBlock).join('\n')), absolute))
      : formatCode(plain(renderFile(current, { source, framework: request.style.framework, jestGlobals: request.style.jestGlobals, kind: item.kind as TemplateKind, importPath: item.importPath as string, format: analysis.format, mocks, dependencies: explored?.dependencies, imports: explored && explored.imports.length > 0 ? explored.imports : undefined })), absolute);
  item.render = render;
  item.text = await render(item.fresh);
}

/**
 * Run the candidates, all in one run; drop each file's failing tests (a
 * dropped test becomes an `it.todo` naming what failed) and run again the
 * files that lost some, since a failure can hide another.
 */
async function verifyItems(items: Item[]): Promise<void> {
  let pending = items;
  for (let round = 0; round < 3 && pending.length > 0; round++) {
    const first = pending[0] as Item;
    const results = await runCandidates({
      root: first.request.root,
      framework: first.request.style.framework,
      files: pending.map((item) => ({ testFile: item.request.testFile, text: item.text ?? '' })),
      source: first.request.source,
      coverage: false,
      esm: first.request.style.esm,
      signal: first.request.signal,
    });
    const again: Item[] = [];
    for (const [i, item] of pending.entries()) {
      const result = results[i] as RunResult;
      const { request } = item;
      const fresh = item.fresh ?? [];
      item.dropped ??= [];
      if (result.suiteError !== undefined) {
        request.log(`${request.testFile}: the generated file could not run: ${result.suiteError.split('\n')[0]}`);
        item.result = {
          text: item.merging ? request.existing : undefined,
          kept: [],
          dropped: fresh.flatMap((b) => b.tests.map((t) => ({ name: t.title, reason: 'the file could not run' }))),
          todo: [],
          note: `the generated tests for ${request.source} could not run, so nothing was written: ${result.suiteError.split('\n').slice(0, 6).join('\n')}`,
          couldNotRun: true,
        };
        continue;
      }
      const failing = result.failed;
      if (!fresh.some((b) => b.tests.some((t) => failing.has(t.title)))) continue;
      item.fresh = fresh.map((block) => {
        const keep = block.tests.filter((t) => !failing.has(t.title));
        const lost = block.tests.filter((t) => failing.has(t.title));
        for (const t of lost) {
          item.dropped?.push({ name: t.title, reason: failing.get(t.title) ?? 'failed' });
          request.log(`${request.testFile}: dropped "${t.title}": ${failing.get(t.title) ?? 'failed'}`);
        }
        return { ...block, tests: keep, todos: [...block.todos, ...lost.map((t) => t.fallbackTodo)] };
      });
      item.text = await (item.render as (blocks: Block[]) => Promise<string>)(item.fresh);
      again.push(item);
    }
    pending = again;
  }
}

/**
 * The blocks with explored tests in: a callable's plain checks and
 * placeholders give way to its explored tests; blocks the plain pass did not
 * have (a configuration module's functions) are added. A gap file holds the
 * explored tests alone.
 */
export function withExplored(blocks: Block[], explored: Explored, gapsOnly: boolean): Block[] {
  const owned = (text: string | undefined) => text !== undefined && explored.owners.has(text);
  const ownedTodo = (todo: string) => [...explored.owners].some((owner) => todo.startsWith(`${owner}(`) || todo.startsWith(`${owner}:`));
  const out: Block[] = [];
  const anyExplored = [...explored.tests.values()].some((tests) => tests.length > 0);
  for (const block of blocks) {
    const mine = explored.tests.get(block.id) ?? [];
    if (gapsOnly) {
      if (mine.length > 0) out.push({ ...block, tests: mine, todos: [] });
      continue;
    }
    // Once behaviour is pinned, "exports x" and "x is a function" say nothing a behavioural test does not.
    if (block.id === 'module' && anyExplored) continue;
    const plain = block.tests.filter((t) => !owned(t.owner) && !(mine.length > 0 && EXISTENCE_CHECK.test(t.title)));
    out.push({ ...block, tests: [...plain, ...mine], todos: [...block.todos.filter((todo) => !ownedTodo(todo)), ...(explored.todos.get(block.id) ?? [])] });
  }
  for (const [id, tests] of explored.tests) {
    if (blocks.some((b) => b.id === id)) continue;
    out.push({ id, title: id.replace(/^(export|class) /, ''), tests, todos: [] });
  }
  return out;
}

function withoutDependencies(explored: Explored): Explored {
  if (explored.dependencies.length === 0 && explored.imports.length === 0) return explored;
  const needs = (test: { lines: string[] }) => test.lines.some((line) => explored.dependencies.some((d) => line.includes(`${d.alias}.`)) || /\bFastify\(/.test(line));
  const tests = new Map([...explored.tests].map(([id, list]) => [id, list.filter((t) => !needs(t))] as const));
  const owners = new Set([...tests.values()].flat().map((t) => t.owner).filter((o): o is string => o !== undefined));
  return { ...explored, tests, owners, dependencies: [], imports: [] };
}

/** Why the candidate must not replace what is there, or undefined when the source's line coverage does not go down. */
async function coverageVerdict(request: TsTestRequest, text: string): Promise<string | undefined> {
  const run = (candidate: string) =>
    runCandidate({ root: request.root, framework: request.style.framework, testFile: request.testFile, text: candidate, source: request.source, coverage: true, esm: request.style.esm, signal: request.signal });
  const before = request.existing === undefined ? 0 : ((await run(request.existing)).lines ?? 0);
  const after = (await run(text)).lines ?? 0;
  request.log(`${request.source}: line coverage ${before}% before, ${after}% with the generated tests`);
  return after < before ? `line coverage of ${request.source} would go down from ${before}% to ${after}%; ${request.testFile} left as it is` : undefined;
}

/** The kind of test for a source: the task's, or chosen from what the analysis found. */
export function pickKind(analysis: ModuleAnalysis, template: 'auto' | TemplateKind, source: string): TemplateKind {
  if (template === 'route' && analysis.routes.length === 0) {
    throw new UserError(`template route does not apply to ${source}: it registers no Fastify routes (fastify.get('/x', ...) or fastify.route({ method, url }))`, {
      retryable: false,
      file: source,
      hint: 'Use template: auto or service for this file.',
    });
  }
  if (template === 'config' && analysis.env.length === 0) {
    throw new UserError(`template config does not apply to ${source}: it reads no process.env variables`, { retryable: false, file: source, hint: 'Use template: auto or service for this file.' });
  }
  if (template !== 'auto') return template;
  if (analysis.routes.length > 0 && analysis.plugin !== undefined) return 'route';
  const callable = analysis.functions.length + analysis.classes.length;
  if (analysis.env.length > 0 && (/(^|\/)(config|env|settings)[^/]*$/i.test(source) || callable === 0)) return 'config';
  return 'service';
}

/** How the test file imports the source: relative, without extension unless the target's tests use `.js`. */
export function importSpecifier(testFile: string, source: string, style: TestStyle): string {
  let relative = path.posix.relative(path.posix.dirname(testFile), source);
  if (!relative.startsWith('.')) relative = `./${relative}`;
  const ext = path.posix.extname(relative);
  const bare = relative.slice(0, relative.length - ext.length);
  // Resolvers do not try .cjs and .mjs on a bare path: those keep their extension.
  if (ext === '.cjs' || ext === '.mjs') return relative;
  if (/^\.js$|^\.jsx$/.test(ext)) return style.jsSuffix || style.esm ? relative : bare;
  return style.jsSuffix ? `${bare}${ext === '.mts' ? '.mjs' : ext === '.cts' ? '.cjs' : '.js'}` : bare;
}

function uniqueTitles(blocks: Block[]): Block[] {
  const seen = new Set<string>();
  return blocks.map((block) => ({
    ...block,
    tests: block.tests.map((test) => {
      let title = test.title;
      for (let n = 2; seen.has(title); n++) title = `${test.title} (${n})`;
      seen.add(title);
      return { ...test, title };
    }),
  }));
}
