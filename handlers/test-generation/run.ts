/**
 * Runs a `test_generation` task: finds the sources, works out each one's test
 * file, skips what is already tested when asked, hands `.py` sources to the
 * Python generator and TS/JS sources to the TS/JS one, and stages every
 * resulting file through the workspace. All files are generated (and
 * verified) before the first is staged, so a failure leaves nothing written.
 */
import type { Task, TaskContext, TaskOutcome } from '../../src/engine/handler.js';
import { UserError } from '../../src/errors.js';
import { detectStyle, type TestStyle } from './detect.js';
import { generateTsTests, type TsGeneratedTests } from './generate-ts.js';
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
  const work: Planned[] = [];
  for (const item of planned) {
    if (task.only_untested && (await alreadyTested(ctx, item))) skipped.push(item.source);
    else work.push(item);
  }

  let style: TestStyle | undefined;
  const results: { item: Planned; generated: TsGeneratedTests; existing: string | undefined }[] = [];
  for (const item of work) {
    ctx.signal.throwIfAborted();
    const sourceText = (await workspace.read(item.source)) ?? '';
    const existing = await workspace.read(item.testFile);
    const overwrite = task.overwrite ?? false;
    let generated: TsGeneratedTests;
    if (item.python) {
      const { generatePythonTests } = await import('./python/index.js');
      generated = await generatePythonTests({ root: ctx.root, source: item.source, sourceText, testFile: item.testFile, existing, overwrite, verify, coverage, signal: ctx.signal, log: ctx.log });
    } else {
      style ??= detectStyle(await workspace.read('package.json'), await sampleTest(ctx), task.framework === 'pytest' ? undefined : task.framework);
      generated = await generateTsTests({ root: ctx.root, source: item.source, sourceText, testFile: item.testFile, existing, template: template === 'python' ? 'auto' : template, style, overwrite, verify, coverage, signal: ctx.signal, log: ctx.log });
    }
    results.push({ item, generated, existing });
  }

  const files: string[] = [];
  const notes: string[] = [];
  let kept = 0;
  let dropped = 0;
  let todo = 0;
  for (const { item, generated, existing } of results) {
    if (generated.note) notes.push(generated.note);
    if (generated.text === undefined || generated.text === existing) continue;
    await workspace.write(item.testFile, generated.text);
    files.push(item.testFile);
    kept += generated.kept.length;
    dropped += generated.dropped.length;
    todo += generated.todo.length;
  }
  if (skipped.length > 0) notes.push(`${skipped.length} already tested: ${skipped.join(', ')}`);
  const couldNotRun = results.filter((r) => r.generated.couldNotRun === true);
  if (files.length === 0 && couldNotRun.length > 0 && couldNotRun.length === results.length) {
    throw new UserError(couldNotRun.map((r) => r.generated.note ?? '').join('\n'), {
      retryable: false,
      hint: 'Nothing was written. Make the module loadable in a test (install dependencies, check the runner config), or set verify: false to write the tests unchecked.',
    });
  }
  const counts = verify
    ? `${plural(kept, 'test')} kept, ${dropped} dropped, ${plural(todo, 'placeholder')}`
    : `${plural(kept, 'test')} (not run${ctx.dryRun ? ' in a dry run' : ': verify is off'}), ${plural(todo, 'placeholder')}`;
  if (files.length === 0) {
    const why = notes.join('; ') || 'the test files are up to date';
    return { status: skipped.length === planned.length ? 'skipped' : 'unchanged', summary: why, files: [] };
  }
  const summary = `wrote ${files.length === 1 ? files[0] : `${files.length} test files`}: ${counts}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
  return { status: 'changed', summary, files };
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
  const found = await listFiles(ctx.root, ['**/*.{test,spec}.{ts,tsx,mts,js,mjs}']).catch(() => []);
  for (const file of found.filter((f) => !/(^|\/)node_modules\//.test(f)).slice(0, 10)) {
    const text = await ctx.workspace.read(file).catch(() => undefined);
    if (text !== undefined && !isGenerated(text)) return text;
  }
  return undefined;
}

/** `1 test`, `2 tests`. */
function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
