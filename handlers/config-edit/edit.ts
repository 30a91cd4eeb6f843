/**
 * One config edit from text to text: validate the action's parameters, parse
 * the file, let the action plan its operations, splice them in with the
 * file's format engine, and prove the result. Pure apart from loading the
 * engines lazily; the handler (run.ts) does the reading and writing.
 */
import path from 'node:path';
import type { z } from 'zod';
import { UserError, errorMessage } from '../../src/errors.js';
import { applyOpsToData, dataEqual, type ConfigAction, type FormatEngine, type FormatKind } from './ops.js';

export type EditOutcome =
  | { kind: 'changed'; text: string; summary: string; notes: string[] }
  | { kind: 'unchanged'; summary: string }
  | { kind: 'not_applicable'; reason: string };

const JS_CONFIG = /^(jest|vitest|vite)\.config\.(js|cjs|mjs|ts|mts|cts)$/;

/** The format of a file from its name, or undefined when no engine edits it. */
export function formatOf(file: string): FormatKind | undefined {
  const base = path.basename(file);
  if (/\.ya?ml$/i.test(base)) return 'yaml';
  if (/\.json$/i.test(base)) return 'json';
  if (JS_CONFIG.test(base)) return 'js';
  return undefined;
}

/** The engine of a format, loaded on first use (ts-morph only for JS/TS configs). */
export async function engineFor(kind: FormatKind): Promise<FormatEngine> {
  switch (kind) {
    case 'yaml':
      return (await import('./formats/yaml.js')).yamlEngine;
    case 'json':
      return (await import('./formats/json.js')).jsonEngine;
    case 'js':
      return (await import('./formats/js-config.js')).jsConfigEngine;
  }
}

/** Apply `action` with `rawParams` to `text` (the content of `file`). */
export async function editText(
  file: string,
  text: string,
  action: ConfigAction,
  rawParams: unknown,
  signal?: AbortSignal,
): Promise<EditOutcome> {
  let params = parseParams(action, rawParams ?? {}, file);
  const format = formatOf(file);
  if (format === undefined || !action.formats.includes(format)) {
    return {
      kind: 'not_applicable',
      reason: `${action.name} does not apply to ${file} (it edits ${action.formats.map(describeFormat).join(' or ')})`,
    };
  }
  const engine = await engineFor(format);
  // Engines see LF text without a byte order mark; the workspace restores both on write.
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const data = engine.parse(source, file);
  let looked: string[] = [];
  if (action.resolve !== undefined) ({ params, notes: looked } = await action.resolve({ file, format, data, params }, signal));
  const plan = action.plan({ file, format, data, params });
  if (plan.kind === 'not_applicable') return plan;

  const expected = applyOpsToData(data, plan.ops);
  if (plan.ops.length === 0 || dataEqual(expected, data)) {
    return { kind: 'unchanged', summary: `${file}: ${action.name.replace(/_/g, ' ')} is already in place` };
  }
  const edited = engine.apply(source, plan.ops, file);
  let reparsed: unknown;
  try {
    reparsed = engine.parse(edited, file);
  } catch (error) {
    throw new UserError(`${file}: the edit produced text that does not parse (${errorMessage(error)}); the file was left untouched`, {
      retryable: false,
      file,
      hint: 'This is a fault in orchestrate: please report it with the file attached.',
    });
  }
  if (!dataEqual(reparsed, expected)) {
    throw new UserError(`${file}: the edit would change more than ${action.name} means to; the file was left untouched`, {
      retryable: false,
      file,
      hint: 'This is a fault in orchestrate: please report it with the file attached.',
    });
  }
  return { kind: 'changed', text: edited, summary: plan.summary, notes: [...looked, ...(plan.notes ?? [])] };
}

function parseParams<P>(action: ConfigAction<P>, raw: unknown, file: string): P {
  const result = (action.params as z.ZodType<P>).safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const where = issue.path.length === 0 ? 'params' : `params.${issue.path.join('.')}`;
    return `${where}: ${issue.message}`;
  });
  throw new UserError(`${action.name} on ${file}: ${problems.join('; ')}`, {
    retryable: false,
    file,
    hint: `See the parameters of ${action.name} in README.md (config_edit actions).`,
  });
}

function describeFormat(kind: FormatKind): string {
  return kind === 'yaml' ? 'YAML files' : kind === 'json' ? 'JSON files' : 'Jest/Vitest/Vite config files';
}
