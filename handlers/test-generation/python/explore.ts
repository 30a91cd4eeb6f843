/**
 * Exploration for Python sources: runs the embedded explore script (see
 * explore-script.ts) over the module's functions and classes and turns each
 * call it kept, because it reached lines no earlier call reached, into a
 * test of its own that asserts what the call returned or raised. Each test
 * is a block keyed after its subject (`function grade`, `function grade (2)`),
 * so a rerun adds nothing for a subject that already has its blocks.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { runProcess } from '../../../src/engine/process.js';
import { BLOCK_MARKER, type Block } from './blocks.js';
import { EXPLORE_SCRIPT } from './explore-script.js';
import { py } from './generate.js';

const typeSchema = z.union([z.string(), z.object({ expression: z.string(), imports: z.array(z.string()) }), z.null()]);
/** An instance's public attributes after a sequence of calls, as Python source. */
const stateSchema = z.record(z.string(), z.string()).optional();
const outcomeSchema = z.union([
  z.object({ ok: z.literal(true), literal: z.string().nullable(), type_name: z.string(), type: typeSchema, state: stateSchema }),
  z.object({ ok: z.literal(false), exception: typeSchema, exception_name: z.string(), message: z.string().nullable(), state: stateSchema }),
]);
/** `setup`: statements before the call (earlier doctest lines, or the calls of a sequence). */
const keptSchema = z.object({ key: z.string(), call: z.string(), setup: z.array(z.string()).optional(), imports: z.array(z.string()), outcome: outcomeSchema });
const resultSchema = z.union([z.object({ tried: z.number(), kept: z.array(keptSchema) }), z.object({ import_error: z.string() })]);

export interface ExploreSubject {
  key: string;
  kind: 'function' | 'class';
  name: string;
  nondeterministic: boolean;
}

export interface PythonExploreOptions {
  python: string;
  env: Record<string, string>;
  module: string;
  alias: string;
  /** The project directory: only lines of files under it count as reached. */
  project: string;
  offline: string[];
  subjects: ExploreSubject[];
  signal: AbortSignal;
  log: (line: string) => void;
}

/** Explore the subjects; undefined when the script could not run. */
export async function explorePython(options: PythonExploreOptions): Promise<{ tried: number; kept: z.infer<typeof keptSchema>[] } | undefined> {
  if (options.subjects.length === 0) return undefined;
  const dir = await mkdtemp(path.join(tmpdir(), 'orchestrate-explore-'));
  try {
    const request = path.join(dir, 'request.json');
    const answer = path.join(dir, 'result.json');
    await writeFile(request, JSON.stringify({ module: options.module, alias: options.alias, project: options.project, offline: options.offline, subjects: options.subjects }));
    const result = await runProcess([options.python, '-c', EXPLORE_SCRIPT, request, answer], { cwd: dir, env: options.env, signal: options.signal, timeoutMs: 10 * 60_000 });
    if (result.exitCode !== 0) {
      options.log(`exploring ${options.module} did not finish: ${result.output.split('\n').slice(-2).join(' ')}`);
      return undefined;
    }
    const parsed = resultSchema.parse(JSON.parse(await readFile(answer, 'utf8')));
    if ('import_error' in parsed) return undefined;
    options.log(`${options.module}: tried ${parsed.tried} calls, kept ${parsed.kept.length} that reach lines no earlier call reached`);
    return parsed;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type Kept = z.infer<typeof keptSchema>;

/** One test per kept call; `name` is the test function's name (made unique by the caller). */
export function keptBlock(kept: Kept, key: string, name: string, subject: string): Block {
  const lines: string[] = [];
  const imports = new Set(kept.imports);
  const outcome = kept.outcome;
  const typeOf = (type: z.infer<typeof typeSchema>): string | undefined => {
    if (type === null) return undefined;
    if (typeof type === 'string') return type;
    for (const module of type.imports) imports.add(module);
    return type.expression;
  };
  lines.push(...(kept.setup ?? []));
  if (outcome.ok) {
    const type = typeOf(outcome.type);
    lines.push(`result = ${kept.call}`);
    if (outcome.literal !== null) lines.push(equality('result', outcome.literal));
    else if (type !== undefined) lines.push(`assert isinstance(result, ${type})`);
    else lines.push(`assert type(result).__name__ == ${py(outcome.type_name)}`);
  } else {
    const type = typeOf(outcome.exception) ?? 'Exception';
    lines.push(`with pytest.raises(${type})${outcome.message ? ' as raised' : ''}:`, `    ${kept.call}`);
    if (outcome.message) lines.push(`assert str(raised.value) == ${py(outcome.message)}`);
  }
  for (const [name, value] of Object.entries(outcome.state ?? {})) lines.push(equality(`instance.${name}`, value));
  const head = [...imports].sort().map((module) => `import ${module}`);
  const body = [...head, ...(head.length > 0 ? [''] : []), ...lines].map((line) => (line === '' ? '' : `    ${line}`));
  return { key, test: name, kind: 'test', subject, text: [`${BLOCK_MARKER}${key}`, `def ${name}():`, ...body].join('\n') };
}

/** `assert <expression> == <literal>`, with `is` for booleans and None and `pytest.approx` for floats. */
function equality(expression: string, literal: string): string {
  if (literal === 'True' || literal === 'False' || literal === 'None') return `assert ${expression} is ${literal}`;
  if (/^-?\d+\.\d+(e-?\d+)?$|^-?\d+e-?\d+$/.test(literal) || floatSequence(literal)) return `assert ${expression} == pytest.approx(${literal})`;
  return `assert ${expression} == ${literal}`;
}

/** A flat tuple or list of numbers with a float among them: compared approximately, as floats must be. */
function floatSequence(literal: string): boolean {
  const NUMBER = String.raw`-?\d+(?:\.\d+)?(?:e[-+]?\d+)?`;
  const flat = new RegExp(String.raw`^[([]\s*${NUMBER}(?:\s*,\s*${NUMBER})*\s*,?\s*[)\]]$`);
  return flat.test(literal) && /\d\.\d|\de/.test(literal);
}
