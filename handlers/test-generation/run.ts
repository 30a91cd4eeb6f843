/**
 * Runs a `test_generation` task: finds the sources, works out each one's test
 * file, skips what is already tested when asked, hands `.py` sources to the
 * Python generator and TS/JS sources to the TS/JS one. TS/JS sources go in
 * batches (one runner start-up per step of a batch, not per source); each
 * batch's files are staged and kept as soon as it is done, with a progress
 * event per source, so a task stopped at source 80 of 100 keeps 80 and its
 * next run goes on with the rest (a complete generated file is left as it
 * is). A dry run analyses every source and says which files it would write,
 * but writes no content: which tests are kept is decided only by running them.
 */
import type { Task, TaskContext, TaskOutcome } from '../../src/engine/handler.js';
import { UserError } from '../../src/errors.js';
import { formatShard, shareOf } from '../../src/plan/shard.js';
import { detectStyle, type TestStyle } from './detect.js';
import { generateTsBatch, type TsGeneratedTests, type TsTestRequest } from './generate-ts.js';
import type { TestGenerationTaskFields } from './schema.js';
import { conventionalTests, defaultPattern, listFiles, resolveSources, testFileFor } from './targets.js';
import { isGenerated } from './test-file.js';

interface Planned {
  source: string;
  testFile: string;
  python: boolean;
}

/** Generate the task's tests and stage them. */
export async function runTestGeneration(task: Task<TestGenerationTaskFields>, ctx: TaskContext): Promise<TaskOutcome> {
  return withShard(ctx, undefined, await generate(task, ctx));
}

/** A shard's outcome says it is a share: `shard 2/3 (4 of 11 sources): ...`. */
function withShard(ctx: TaskContext, total: number | undefined, outcome: TaskOutcome): TaskOutcome {
  if (!ctx.shard || outcome.summary.startsWith('shard ')) return outcome;
  return { ...outcome, summary: `shard ${formatShard(ctx.shard)}${total === undefined ? '' : ` of ${plural(total, 'source')}`}: ${outcome.summary}` };
}

async function generate(task: Task<TestGenerationTaskFields>, ctx: TaskContext): Promise<TaskOutcome> {
  const { workspace } = ctx;
  const template = task.template ?? 'auto';
  const verify = (task.verify ?? true) && !ctx.dryRun;
  const coverage = (task.coverage ?? false) && verify;
  const sources = await resolveSources(workspace, task.target, task.targets);

  const planned: Planned[] = [];
  const byTestFile = new Map<string, string>();
  for (const source of sources) {
    const python = source.endsWith('.py');
    checkApplies(source, python, template, task.framework);
    const testFile = testFileFor(task.test_file ?? defaultPattern(source), source);
    workspace.resolve(testFile); // refuses a symlink leading out of the root
    const other = byTestFile.get(testFile);
    if (other !== undefined) {
      throw new UserError(`test_file "${task.test_file}" gives ${other} and ${source} the same test file ${testFile}`, {
        retryable: false,
        hint: 'Put {name} (and {dir} when names repeat across folders) in test_file.',
      });
    }
    byTestFile.set(testFile, source);
    planned.push({ source, testFile, python });
  }

  const skipped: string[] = [];
  const untested: Planned[] = [];
  for (const item of planned) {
    if (task.only_untested && (await alreadyTested(ctx, item))) skipped.push(item.source);
    else untested.push(item);
  }
  // A sharded run does its share of what the whole would do (sources sorted, so every job splits alike).
  const work = ctx.shard ? shareOf(untested, ctx.shard, task.id) : untested;
  if (ctx.shard) ctx.log(`shard ${formatShard(ctx.shard)}: ${plural(work.length, 'source')} of ${untested.length}${work.length > 0 ? `: ${work.map((item) => item.source).join(', ')}` : ''}`);

  if (ctx.shard && work.length === 0 && untested.length > 0) {
    return { status: 'unchanged', summary: `shard ${formatShard(ctx.shard)}: none of the ${plural(untested.length, 'source')} is this shard's share`, files: [] };
  }
  if (ctx.dryRun) return withShard(ctx, untested.length, await dryRunOutcome(ctx, work, skipped, planned.length));

  let style: TestStyle | undefined;
  const files: string[] = [];
  const notes: string[] = [];
  const details: string[] = [];
  const couldNotRun: string[] = [];
  let kept = 0;
  let dropped = 0;
  let todo = 0;
  let done = 0;
  const overwrite = task.overwrite ?? false;
  const budgetMs = (task.budget ?? DEFAULT_BUDGET_SECONDS) * 1000;
  ctx.progress({ done, total: work.length, unit: 'sources' });

  /** Stage a source's result and keep it on disk, so a stop after it loses nothing. */
  const settle = async (item: Planned, generated: TsGeneratedTests, existing: string | undefined) => {
    if (generated.note) notes.push(generated.note);
    if (generated.couldNotRun === true) couldNotRun.push(generated.note ?? item.source);
    const changed = generated.text !== undefined && generated.text !== existing;
    if (changed) {
      await workspace.write(item.testFile, generated.text as string);
      files.push(item.testFile);
      kept += generated.kept.length;
      dropped += generated.dropped.length;
      todo += generated.todo.length;
    }
    const line = changed ? `${item.testFile}: ${generated.kept.length} kept, ${generated.dropped.length} dropped, ${plural(generated.todo.length, 'placeholder')}` : `${item.source}: ${generated.note ?? 'unchanged'}`;
    details.push(line);
    done++;
    ctx.progress({ done, total: work.length, unit: 'sources', current: item.source, detail: changed ? `${generated.kept.length} kept` : 'unchanged' });
  };

  const python = work.filter((item) => item.python);
  const scripts = work.filter((item) => !item.python);
  for (const item of python) {
    ctx.signal.throwIfAborted();
    const sourceText = (await workspace.read(item.source)) ?? '';
    const existing = await workspace.read(item.testFile);
    const { generatePythonTests } = await import('./python/index.js');
    const generated = await generatePythonTests({ root: ctx.root, source: item.source, sourceText, testFile: item.testFile, existing, overwrite, verify, coverage, signal: ctx.signal, log: ctx.log });
    await settle(item, generated, existing);
    if (files.includes(item.testFile)) await ctx.keep([item.testFile]);
  }
  for (let start = 0; start < scripts.length; start += BATCH) {
    ctx.signal.throwIfAborted();
    const batch = scripts.slice(start, start + BATCH);
    style ??= detectStyle(await workspace.read('package.json'), await sampleTest(ctx), task.framework === 'pytest' ? undefined : task.framework);
    const requests: TsTestRequest[] = [];
    const existing: (string | undefined)[] = [];
    for (const item of batch) {
      const sourceText = (await workspace.read(item.source)) ?? '';
      const current = await workspace.read(item.testFile);
      existing.push(current);
      requests.push({ root: ctx.root, source: item.source, sourceText, testFile: item.testFile, existing: current, template: template === 'python' ? 'auto' : template, style, overwrite, verify, coverage, budgetMs, signal: ctx.signal, log: ctx.log });
    }
    ctx.log(`generating tests for ${batch.length === 1 ? batch[0]?.source : `${batch.length} sources (${start + 1}-${start + batch.length} of ${scripts.length})`}`);
    const generated = await generateTsBatch(requests);
    for (const [i, item] of batch.entries()) await settle(item, generated[i] as TsGeneratedTests, existing[i]);
    const mine = batch.map((item) => item.testFile).filter((file) => files.includes(file));
    if (mine.length > 0) await ctx.keep(mine);
  }

  if (skipped.length > 0) notes.push(`${skipped.length} already tested: ${skipped.join(', ')}`);
  if (files.length === 0 && couldNotRun.length > 0 && couldNotRun.length === work.length) {
    throw new UserError(couldNotRun.join('\n'), {
      retryable: false,
      hint: 'Nothing was written. Make the module loadable in a test (install dependencies, check the runner config), or set verify: false to write the tests unchecked.',
    });
  }
  const counts = verify ? `${plural(kept, 'test')} kept, ${dropped} dropped, ${plural(todo, 'placeholder')}` : `${plural(kept, 'test')} (not run: verify is off), ${plural(todo, 'placeholder')}`;
  if (files.length === 0) {
    const why = notes.length === 0 ? 'the test files are up to date' : notes.length === 1 ? (notes[0] as string) : `nothing to write for ${plural(work.length, 'source')}; see the details`;
    return { status: skipped.length === planned.length ? 'skipped' : 'unchanged', summary: why, files: [], details: [...details, ...notes.filter((n) => !details.some((d) => d.includes(n)))] };
  }
  const more = `${couldNotRun.length > 0 ? `; ${plural(couldNotRun.length, 'source')} could not run` : ''}${skipped.length > 0 ? `; ${skipped.length} already tested` : ''}`;
  const summary = `wrote ${files.length === 1 ? files[0] : `${files.length} test files`}: ${counts}${more}`;
  return { status: 'changed', summary, files, details: [...details, ...(skipped.length > 0 ? [`${skipped.length} already tested: ${skipped.join(', ')}`] : [])] };
}

/** Sources per batch: one runner start-up for the probes and one for verifying serves this many. */
const BATCH = 10;
const DEFAULT_BUDGET_SECONDS = 20;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * A dry run: which test files the task would write or extend, and no
 * content. The tests kept are the ones that pass and reach code when run, so
 * any text shown here would differ from what a run writes.
 */
async function dryRunOutcome(ctx: TaskContext, work: Planned[], skipped: string[], total: number): Promise<TaskOutcome> {
  const fresh: string[] = [];
  const extended: string[] = [];
  const person: string[] = [];
  for (const item of work) {
    const existing = await ctx.workspace.read(item.testFile);
    if (existing === undefined) fresh.push(item.testFile);
    else if (isGenerated(existing) || isPythonGenerated(existing)) extended.push(item.testFile);
    else person.push(item.testFile);
  }
  const details = [...fresh.map((f) => `would write ${f}`), ...extended.map((f) => `would extend ${f} with blocks for exports it lacks`), ...person.map((f) => `${f} was written by a person: left as it is unless overwrite is set`), ...skipped.map((s) => `${s}: already tested`)];
  if (fresh.length + extended.length === 0) {
    return { status: skipped.length === total ? 'skipped' : 'unchanged', summary: `no test file to write for ${plural(work.length, 'source')}`, files: [], details };
  }
  const summary = `would write tests for ${plural(fresh.length + extended.length, 'source')} (${plural(fresh.length, 'new file')}${extended.length > 0 ? `, ${extended.length} extended` : ''}); which tests are kept is decided when it runs, so no content is shown`;
  return { status: 'changed', summary, files: [], details };
}

/** Refuse a template or framework that cannot apply to the source's language. */
function checkApplies(source: string, python: boolean, template: string, framework: string | undefined): void {
  if (python && template !== 'auto' && template !== 'python') {
    throw new UserError(`template ${template} does not apply to ${source}: it is for TypeScript/JavaScript sources`, { retryable: false, file: source, hint: 'Use template: python (or auto) for .py sources.' });
  }
  if (python && framework !== undefined && framework !== 'pytest') {
    throw new UserError(`framework ${framework} cannot test ${source}, a Python source`, { retryable: false, file: source, hint: 'Use framework: pytest (or leave framework out) for .py sources.' });
  }
  if (!python && (template === 'python' || framework === 'pytest')) {
    throw new UserError(`${template === 'python' ? 'template python' : 'framework pytest'} does not apply to ${source}: it is not a .py source`, {
      retryable: false,
      file: source,
      hint: 'Use template auto, service, route or config and framework jest or vitest for TS/JS sources.',
    });
  }
}

/** True when the source has a test a person wrote: at the pattern's path or a conventional place. */
async function alreadyTested(ctx: TaskContext, item: Planned): Promise<boolean> {
  for (const candidate of [item.testFile, ...conventionalTests(item.source)]) {
    const text = await ctx.workspace.read(candidate).catch(() => undefined);
    if (text !== undefined && !isGenerated(text) && !isPythonGenerated(text)) return true;
  }
  return false;
}

/** The Python generator's header (its module is loaded only for Python sources). */
function isPythonGenerated(text: string): boolean {
  return /^\uFEFF?# Generated by orchestrate /.test(text);
}

/** One of the target's own tests (not a generated one), to copy its import style. */
async function sampleTest(ctx: TaskContext): Promise<string | undefined> {
  const found = await listFiles(ctx.root, ['**/*.{test,spec}.{ts,tsx,mts,js,mjs}'], ctx.workspace).catch(() => []);
  for (const file of found.filter((f) => !/(^|\/)node_modules\//.test(f)).slice(0, 10)) {
    const text = await ctx.workspace.read(file).catch(() => undefined);
    if (text !== undefined && !isGenerated(text)) return text;
  }
  return undefined;
}
