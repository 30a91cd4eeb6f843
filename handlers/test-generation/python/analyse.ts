/**
 * Analyses a Python source with python3's own `ast` module (the embedded
 * analyse script, run as a child process; the source is never imported):
 * public functions, classes, literal constants, web routes and imports. A
 * syntax error becomes a UserError naming file:line:col.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { UserError } from '../../../src/errors.js';
import { runProcess } from '../../../src/engine/process.js';
import { ANALYSE_SCRIPT } from './analyse-script.js';

const paramSchema = z.object({
  name: z.string(),
  kind: z.enum(['positional_only', 'positional', 'var_positional', 'keyword_only', 'var_keyword']),
  annotation: z.string().nullable(),
  default: z.string().nullable(),
  /** A representative value (Python source) for a simple annotation. */
  example: z.string().nullable(),
});
const routeSchema = z.object({ object: z.string(), methods: z.array(z.string()), path: z.string() });
const functionSchema = z.object({
  name: z.string(),
  line: z.number(),
  async: z.boolean(),
  params: z.array(paramSchema),
  returns: z.string().nullable(),
  /** The class (or tuple of classes) for isinstance() when the return annotation is simple. */
  return_check: z.string().nullable(),
  /** Exception names the function raises itself or documents. */
  raises: z.array(z.string()),
  nondeterministic: z.boolean(),
  decorators: z.array(z.string()),
  routes: z.array(routeSchema),
});
const classSchema = z.object({
  name: z.string(),
  line: z.number(),
  bases: z.array(z.string()),
  /** Constructor parameters (self excluded); null when inherited from a base class. */
  init: z.array(paramSchema).nullable(),
  methods: z.array(z.string()),
  properties: z.array(z.string()),
});
const importSchema = z.object({
  module: z.string(),
  level: z.number(),
  names: z.array(z.string()),
  toplevel: z.boolean(),
  guarded: z.boolean(),
  line: z.number(),
  available: z.boolean().nullable(),
  side_effect: z.boolean(),
});
const analysisSchema = z.object({
  functions: z.array(functionSchema),
  classes: z.array(classSchema),
  constants: z.array(z.object({ name: z.string(), line: z.number(), value: z.string() })),
  imports: z.array(importSchema),
  apps: z.record(z.string(), z.enum(['FastAPI', 'APIRouter', 'Flask', 'Blueprint'])),
  all: z.array(z.string()).nullable(),
});
const syntaxErrorSchema = z.object({
  error: z.object({ message: z.string(), line: z.number(), column: z.number(), text: z.string() }),
});

export type PythonParam = z.infer<typeof paramSchema>;
export type PythonFunction = z.infer<typeof functionSchema>;
export type PythonClass = z.infer<typeof classSchema>;
export type PythonImport = z.infer<typeof importSchema>;
export type PythonModule = z.infer<typeof analysisSchema>;

export interface AnalyseOptions {
  python: string;
  /** Directory the analysis runs in: imports are looked up from here, as pytest will. */
  cwd: string;
  /** Root-relative path, for messages. */
  source: string;
  sourceText: string;
  signal: AbortSignal;
}

/** What test generation needs to know about one Python source. */
export async function analysePython(options: AnalyseOptions): Promise<PythonModule> {
  const dir = await mkdtemp(path.join(tmpdir(), 'orchestrate-py-'));
  try {
    const file = path.join(dir, 'source.py');
    await writeFile(file, options.sourceText);
    const stdout: string[] = [];
    const result = await runProcess([options.python, '-c', ANALYSE_SCRIPT, file, options.source], {
      cwd: options.cwd,
      signal: options.signal,
      timeoutMs: 60_000,
      env: { PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8' },
      onLine: (line, stream) => {
        if (stream === 'stdout') stdout.push(line);
      },
    });
    if (result.cancelled) throw new UserError(`analysis of ${options.source} was cancelled`);
    if (result.exitCode !== 0) {
      throw new UserError(`could not analyse ${options.source} with ${options.python}: ${result.output.split('\n').slice(-3).join(' ')}`, {
        file: options.source,
        hint: 'Check that the interpreter is Python 3.8 or newer and the file is UTF-8 text.',
      });
    }
    const data: unknown = JSON.parse(stdout.join('\n'));
    const syntax = syntaxErrorSchema.safeParse(data);
    if (syntax.success) {
      const { message, line, column, text } = syntax.data.error;
      throw new UserError(`${options.source}:${line}:${column}: ${message}${text ? `\n    ${text.trim()}` : ''}`, {
        retryable: false,
        file: options.source,
        hint: `Python cannot parse ${options.source}; fix the syntax error, then run the task again.`,
      });
    }
    return analysisSchema.parse(data);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
