/**
 * Reads a plan file and checks it against the schema. Returns the parsed
 * config with a locator for later (graph) checks, or every located problem at
 * once. Never prints, never throws anything but UserError / ConfigError.
 */
import { LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import type { HandlerRegistry } from '../engine/registry.js';
import { closest, excerptAt, formatPath, type Diagnostic } from './diagnostics.js';
import { expandEnv, type ExpandOptions, type ExpandUse } from './expand-env.js';
import { locate, type YamlPath } from './locate.js';
import { planSchemaFor, schemaKeyNames } from './plan-schema.js';
import type { PlanConfig } from './schema.js';
import { describeValue, issueMessage } from './issue-message.js';
import { syntaxDiagnostics } from './syntax-errors.js';
import { provideParser } from './lazy-diagnose.js';
import { MAX_PLAN_BYTES, type PlanSource } from './plan-source.js';

export { MAX_PLAN_BYTES, readPlanSource, sourceOf, type PlanSource } from './plan-source.js';

const MAX_ALIASES = 1000;

/**
 * How many times this process parsed a plan's YAML and checked one against the
 * schema: the work a cached load saves (and what the cache's tests watch).
 */
export const loadWork = { yamlParses: 0, schemaChecks: 0 };

export interface LoadedConfig {
  source: PlanSource;
  config: PlanConfig;
  /** The raw data before schema defaults and transforms. */
  raw: unknown;
  /** Build a diagnostic located at a YAML path. */
  diagnose: Diagnose;
}

export type Diagnose = (path: YamlPath, message: string, options?: { hint?: string; target?: 'key' | 'value' }) => Diagnostic;

export type LoadResult =
  /** `envUsed`: the variables `${VAR}` expansion looked at (none without `expand`). */
  | { ok: true; loaded: LoadedConfig; envUsed: ExpandUse[] }
  | { ok: false; diagnostics: Diagnostic[]; raw: unknown; diagnose: Diagnose | undefined };

/** A plan's text parsed as YAML into a mapping, not yet checked against the schema. */
export interface ParsedPlan {
  ok: true;
  source: PlanSource;
  doc: Document;
  text: string;
  raw: Record<string, unknown>;
  diagnose: Diagnose;
}

/** Parse and schema-check a plan's text against the task types of `registry`. */
export function parsePlan(source: PlanSource, registry: HandlerRegistry, options: { expand?: ExpandOptions | undefined } = {}): LoadResult {
  const parsed = parsePlanText(source);
  return parsed.ok ? checkPlanSchema(parsed, registry, options) : parsed;
}

/**
 * The first step of loading: YAML syntax, size and encoding. The top-level
 * `handlers:` can then be read to build the registry the schema check needs.
 */
export function parsePlanText(source: PlanSource): ParsedPlan | Extract<LoadResult, { ok: false }> {
  const whole = (message: string, hint: string): Extract<LoadResult, { ok: false }> => ({
    ok: false,
    diagnostics: [{ file: source.file, line: 1, column: 1, length: 1, path: '', message, hint, excerpt: '' }],
    raw: undefined,
    diagnose: undefined,
  });
  if (source.sha256.startsWith('oversize:')) {
    const size = Number(source.sha256.slice('oversize:'.length));
    return whole(
      `the plan file is ${(size / 1024 / 1024).toFixed(1)} MB; plans are limited to ${MAX_PLAN_BYTES / 1024 / 1024} MB`,
      'a plan describes phases and tasks, not data; split generated content out of it',
    );
  }
  if (source.text === '\u0000binary') {
    return whole('the plan file is not UTF-8 text (it looks binary)', 'point --config at a phases.yaml file');
  }
  const text = source.text.replace(/^\uFEFF/, '');
  loadWork.yamlParses += 1;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, keepSourceTokens: false });
  const diagnose: Diagnose = (path, message, options = {}) => {
    const span = locate(doc, lineCounter, path, options.target ?? 'value');
    return {
      file: source.file,
      line: span.line,
      column: span.column,
      length: span.length,
      path: formatPath(path),
      message,
      hint: options.hint,
      excerpt: excerptAt(text, span.line, span.column, span.length),
    };
  };

  const diagnoseAt = (range: readonly [number, number], message: string, hint: string): Diagnostic => {
    const pos = lineCounter.linePos(range[0]);
    const length = Math.max(1, range[1] - range[0]);
    return { file: source.file, line: pos.line, column: pos.col, length, path: '', message, hint, excerpt: excerptAt(text, pos.line, pos.col, length) };
  };

  if (doc.errors.length > 0) {
    return { ok: false, diagnostics: syntaxDiagnostics(source.file, text, lineCounter, doc.errors), raw: undefined, diagnose };
  }
  if (doc.contents === null) {
    return whole('the plan file is empty', 'a plan needs at least `version: 1` and `phases:`; see config/phases.yaml for an example');
  }

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const alias = unresolvedAlias(doc);
    if (alias) {
      return {
        ok: false,
        diagnostics: [
          diagnoseAt(alias.range, `the alias *${alias.name} refers to no anchor`, `define \`&${alias.name}\` on a value above this line, or write the value out here`),
        ],
        raw: undefined,
        diagnose,
      };
    }
    return whole(`the plan cannot be read: ${message}`, 'reduce the use of YAML aliases (`*name`); write repeated values out instead');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      ok: false,
      diagnostics: [diagnose([], 'the top level of a plan must be a mapping with `version` and `phases`', { hint: 'start the file with `version: 1`' })],
      raw,
      diagnose,
    };
  }
  return { ok: true, source, doc, text, raw: raw as Record<string, unknown>, diagnose };
}

/** The second step: the whole plan against the schema built from `registry`. */
export function checkPlanSchema(parsed: ParsedPlan, registry: HandlerRegistry, options: { expand?: ExpandOptions | undefined } = {}): LoadResult {
  const { source, doc, text, diagnose } = parsed;
  let raw: unknown = parsed.raw;
  let envUsed: ExpandUse[] = [];
  // ${VAR} in string values: expanded before the schema check, every unset variable located.
  if (options.expand) {
    const expanded = expandEnv(raw, options.expand);
    if (expanded.problems.length > 0) {
      return { ok: false, diagnostics: expanded.problems.map((p) => diagnose(p.path, p.message, { hint: p.hint })), raw, diagnose };
    }
    raw = expanded.value;
    envUsed = expanded.used;
  }
  loadWork.schemaChecks += 1;
  const result = planSchemaFor(registry).safeParse(raw, { error: issueMessage });
  if (!result.success) {
    const written = (path: YamlPath): string | undefined => {
      const range = (doc.getIn(path, true) as { range?: [number, number] } | undefined)?.range;
      return range ? text.slice(range[0], range[1]) : undefined;
    };
    return { ok: false, diagnostics: result.error.issues.flatMap((issue) => issueDiagnostics(issue, doc, diagnose, written, registry)), raw, diagnose };
  }
  return { ok: true, loaded: { source, config: result.data, raw, diagnose }, envUsed };
}

// A plan taken from the cache locates its problems with this parser, once this module is loaded.
provideParser(parsePlanText);

export { lazyDiagnose } from './lazy-diagnose.js';

function issueDiagnostics(
  issue: z.core.$ZodIssue,
  doc: Document,
  diagnose: Diagnose,
  written: (path: YamlPath) => string | undefined,
  registry: HandlerRegistry,
): Diagnostic[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const keyNames = schemaKeyNames(registry);
    return issue.keys.map((key) => {
      // A key the schema knows at another level is most likely indented wrongly, not misspelt.
      const elsewhere = keyNames.has(key);
      const suggestion = elsewhere ? undefined : closest(key, keyNames);
      return diagnose([...path, key], `unknown key "${key}"`, {
        target: 'key',
        hint: elsewhere
          ? `"${key}" is not allowed here but is at another level; check its indentation`
          : suggestion
            ? `did you mean "${suggestion}"?`
            : 'remove it, or check its spelling and indentation (`orchestrate schema` lists the keys)',
      });
    });
  }
  if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') {
    const value = doc.getIn(path);
    const known = registry.types();
    if (value === undefined) {
      return [diagnose(path, 'this task has no `type`', { hint: `add one of: ${known.join(', ')}` })];
    }
    const suggestion = typeof value === 'string' ? closest(value, known) : undefined;
    return [
      diagnose(path, `unknown task type ${describeValue(value)}`, {
        hint: `${suggestion ? `did you mean "${suggestion}"? ` : ''}known types: ${known.join(', ')}`,
      }),
    ];
  }
  if (issue.code === 'invalid_value' && issue.values.length > 1) {
    const values = issue.values.map(String);
    const input = doc.getIn(path);
    const suggestion = typeof input === 'string' ? closest(input, values) : undefined;
    return [diagnose(path, issue.message, { hint: `${suggestion ? `did you mean "${suggestion}"? ` : ''}allowed: ${values.join(', ')}` })];
  }
  if (issue.message === 'this field is required') {
    const key = path[path.length - 1];
    return [diagnose(path, `missing required field "${String(key)}"`, { target: 'key', hint: `add \`${String(key)}:\` here` })];
  }
  const value = doc.getIn(path);
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_union') && typeof value === 'number') {
    // YAML reads 1.10 as 1.1: quote the number as the user wrote it, not as parsed.
    const asWritten = written(path)?.trim();
    const parsed = String(value);
    if (asWritten && asWritten !== parsed) {
      const standalone = new RegExp(`(?<![\\w.])${parsed.replace(/[.+-]/g, '\\$&')}(?![\\w.])`, 'g');
      return [diagnose(path, issue.message.replace(standalone, asWritten))];
    }
  }
  return [diagnose(path, issue.message)];
}

/** The first alias whose anchor is not defined before it, if any. */
function unresolvedAlias(doc: Document): { name: string; range: [number, number] } | undefined {
  let found: { name: string; range: [number, number] } | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) !== undefined) return undefined;
      found = { name: node.source, range: node.range ? [node.range[0], node.range[1]] : [0, 1] };
      return visit.BREAK;
    },
  });
  return found;
}

