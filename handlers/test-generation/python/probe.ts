/**
 * Runs the embedded probe: imports the module (found through PYTHONPATH, as
 * pytest run in the project directory finds it) and tries each subject's candidate calls, reporting what each
 * returned or raised. Only used when the tests are verified (never in a dry
 * run), since it runs the project's code. Request and result travel through a
 * temporary directory outside the target; the module's own output is ignored.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { runProcess } from '../../../src/engine/process.js';
import { PROBE_SCRIPT } from './probe-script.js';

const outcomeSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    expression: z.string(),
    /** A Python expression naming the result's class, when there is one. */
    type: z.string().nullable(),
    type_name: z.string(),
    /** Python source equal to the result, for small plain values. */
    literal: z.string().nullable(),
    approx: z.boolean(),
    /** Files the call created in the working directory. */
    writes: z.array(z.string()),
  }),
  z.object({
    ok: z.literal(false),
    expression: z.string(),
    exception: z.string().nullable(),
    exception_name: z.string(),
    message: z.string(),
  }),
]);
const resultSchema = z.union([
  z.object({ results: z.record(z.string(), outcomeSchema.nullable()) }),
  z.object({ import_error: z.string() }),
]);

/** What one subject's first working candidate returned, or what the first one raised. */
export type ProbeOutcome = z.infer<typeof outcomeSchema>;

export type ProbeResult = { outcomes: Map<string, ProbeOutcome> } | { importError: string };

export interface ProbeOptions {
  python: string;
  env: Record<string, string>;
  module: string;
  alias: string;
  /** Names bound to modules with side effects, replaced before any call. */
  offline: string[];
  calls: { id: string; candidates: string[] }[];
  signal: AbortSignal;
  log: (line: string) => void;
}

/** Try the calls; undefined when the probe itself could not run (a timeout, a crash). */
export async function probe(options: ProbeOptions): Promise<ProbeResult | undefined> {
  const dir = await mkdtemp(path.join(tmpdir(), 'orchestrate-probe-'));
  try {
    const request = path.join(dir, 'request.json');
    const answer = path.join(dir, 'result.json');
    const calls = options.calls.filter((call) => call.candidates.length > 0);
    await writeFile(request, JSON.stringify({ module: options.module, alias: options.alias, offline: options.offline, calls, seconds: 5 }));
    const result = await runProcess([options.python, '-c', PROBE_SCRIPT, request, answer], {
      // A scratch directory: a call that writes a relative path must not write into the target.
      cwd: dir,
      env: options.env,
      signal: options.signal,
      timeoutMs: 30_000 + calls.length * 15_000,
    });
    if (result.exitCode !== 0) {
      options.log(`probe of ${options.module} did not finish: ${result.output.split('\n').slice(-2).join(' ')}`);
      return undefined;
    }
    const parsed = resultSchema.parse(JSON.parse(await readFile(answer, 'utf8')));
    if ('import_error' in parsed) return { importError: parsed.import_error };
    const outcomes = new Map<string, ProbeOutcome>();
    for (const [id, outcome] of Object.entries(parsed.results)) if (outcome !== null) outcomes.set(id, outcome);
    return { outcomes };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
