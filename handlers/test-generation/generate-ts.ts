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
import { buildBlocks, type Block, type TemplateKind } from './blocks.js';
import type { TestStyle } from './detect.js';
import { formatCode } from './format.js';
import { appendBlocks, blockIds, isGenerated, renderBlock, renderFile } from './test-file.js';
import type { GeneratedTests, ModuleAnalysis } from './types.js';
import { runCandidate, type RunResult } from './verify.js';
import { explore, type Explored } from './explore/index.js';

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
  signal: AbortSignal;
  log: (line: string) => void;
}

/** GeneratedTests, plus whether the candidate could not run at all (so nothing of it was kept). */
export interface TsGeneratedTests extends GeneratedTests {
  couldNotRun?: boolean;
}

/** Generate (and verify) the test file for one TS/JS source. */
export async function generateTsTests(request: TsTestRequest): Promise<TsGeneratedTests> {
  const { source, existing } = request;
  if (existing !== undefined && !isGenerated(existing) && !request.overwrite) {
    return { text: undefined, kept: [], dropped: [], todo: [], note: `${request.testFile} was written by a person; left as it is (set overwrite: true to replace it)` };
  }
  await loadAnalyzer();
  const analysis = analyzeSource(source, request.sourceText);
  if (analysis.syntaxErrors.length > 0) {
    throw new UserError(`${source} does not parse: ${analysis.syntaxErrors[0]}`, { retryable: false, file: source, hint: 'Fix the syntax error (or leave the file out of the task); nothing was written.' });
  }
  const kind = pickKind(analysis, request.template, source);
  const api = request.style.framework === 'vitest' ? 'vi' : 'jest';
  const importPath = importSpecifier(request.testFile, source, request.style);
  let blocks = buildBlocks(analysis, { kind, api, importPath });
  const merging = existing !== undefined && !request.overwrite;
  let explored: Explored | undefined;
  // Appending to a file that already has a block for every export adds nothing: no need to explore.
  const upToDate = merging && blocks.every((block) => blockIds(existing).has(block.id));
  if (request.verify && blocks.length > 0 && !upToDate) {
    explored = await explore({
      root: request.root,
      source,
      sourceText: request.sourceText,
      testFile: request.testFile,
      importPath,
      analysis,
      kind,
      style: request.style,
      gapsOnly: request.coverage,
      specifierFor: (module) => importSpecifier(request.testFile, module, request.style),
      signal: request.signal,
      log: request.log,
    });
    // Appending to a file keeps its imports: tests that need another module's import are left out then.
    if (explored && merging) explored = withoutDependencies(explored);
    if (explored) blocks = withExplored(blocks, explored, request.coverage);
  }
  blocks = uniqueTitles(blocks);
  if (blocks.length === 0 && request.coverage && explored !== undefined) {
    return { text: undefined, kept: [], dropped: [], todo: [], note: `${source}: its other tests already reach all the code the generated tests reached (${explored.tried} tried); nothing written` };
  }
  if (blocks.length === 0) {
    return { text: undefined, kept: [], dropped: [], todo: [], note: `${source} exports nothing a test can reach; nothing written` };
  }
  const absolute = path.join(request.root, ...request.testFile.split('/'));
  const mocks = [...new Set(analysis.imports.filter((spec) => SIDE_EFFECT_PACKAGES.test(spec)))].sort();

  const present = merging ? blockIds(existing) : new Set<string>();
  let fresh = blocks.filter((block) => !present.has(block.id));
  if (merging && fresh.length === 0) return { text: existing, kept: [], dropped: [], todo: [], note: `${request.testFile} already has a block for every export` };

  const render = async (current: Block[]): Promise<string> =>
    merging
      ? appendBlocks(existing, await formatCode(current.map(renderBlock).join('\n'), absolute))
      : formatCode(renderFile(current, { source, framework: request.style.framework, jestGlobals: request.style.jestGlobals, kind, importPath, format: analysis.format, mocks, dependencies: explored?.dependencies, imports: explored && explored.imports.length > 0 ? explored.imports : undefined }), absolute);

  let text = await render(fresh);
  const dropped: GeneratedTests['dropped'] = [];
  if (request.verify) {
    let result: RunResult | undefined;
    // A second round confirms the file passes once the failing tests are gone (a failure can hide another).
    for (let round = 0; round < 3; round++) {
      result = await runCandidate({ root: request.root, framework: request.style.framework, testFile: request.testFile, text, source, coverage: false, esm: request.style.esm, signal: request.signal });
      if (result.suiteError !== undefined) {
        request.log(`${request.testFile}: the generated file could not run: ${result.suiteError.split('\n')[0]}`);
        return {
          text: merging ? existing : undefined,
          kept: [],
          dropped: fresh.flatMap((b) => b.tests.map((t) => ({ name: t.title, reason: 'the file could not run' }))),
          todo: [],
          note: `the generated tests for ${source} could not run, so nothing was written: ${result.suiteError.split('\n').slice(0, 6).join('\n')}`,
          couldNotRun: true,
        };
      }
      const failing = result.failed;
      const ours = fresh.some((b) => b.tests.some((t) => failing.has(t.title)));
      if (!ours) break;
      fresh = fresh.map((block) => {
        const keep = block.tests.filter((t) => !failing.has(t.title));
        const lost = block.tests.filter((t) => failing.has(t.title));
        for (const t of lost) {
          dropped.push({ name: t.title, reason: failing.get(t.title) ?? 'failed' });
          request.log(`${request.testFile}: dropped "${t.title}": ${failing.get(t.title) ?? 'failed'}`);
        }
        return { ...block, tests: keep, todos: [...block.todos, ...lost.map((t) => t.fallbackTodo)] };
      });
      text = await render(fresh);
    }
    if (request.coverage) {
      const verdict = await coverageVerdict(request, text);
      if (verdict !== undefined) return { text: merging ? existing : undefined, kept: [], dropped, todo: [], note: verdict };
    }
  }
  return {
    text,
    kept: fresh.flatMap((b) => b.tests.map((t) => t.title)),
    dropped,
    todo: fresh.flatMap((b) => b.todos),
  };
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
  for (const block of blocks) {
    const mine = explored.tests.get(block.id) ?? [];
    if (gapsOnly) {
      if (mine.length > 0) out.push({ ...block, tests: mine, todos: [] });
      continue;
    }
    out.push({ ...block, tests: [...block.tests.filter((t) => !owned(t.owner)), ...mine], todos: [...block.todos.filter((todo) => !ownedTodo(todo)), ...(explored.todos.get(block.id) ?? [])] });
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
  if (/^\.[cm]?js$|^\.jsx$/.test(ext)) return style.jsSuffix || style.esm ? relative : bare;
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
