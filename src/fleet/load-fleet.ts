/**
 * Reads a fleet file and checks it against its schema. Every problem becomes
 * a located diagnostic (file:line:col and YAML path) in one ConfigError, the
 * way plan files are reported; nothing here prints.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { excerptAt, formatPath, type Diagnostic } from '../config/diagnostics.js';
import { locate, type YamlPath } from '../config/locate.js';
import { parseDuration } from '../config/duration.js';
import { ConfigError, UserError } from '../errors.js';
import { fleetSchema, type FleetConfig } from './fleet-schema.js';

/** A fleet file, checked, with the paths it names made absolute. */
export interface LoadedFleet {
  config: FleetConfig;
  /** The fleet file, absolute. */
  file: string;
  /** The plan file, absolute. */
  planFile: string;
  /** Clones, logs and per-repository state. */
  stateDir: string;
  /** pause_between_batches in ms (0 when none). */
  pauseMs: number;
}

export const DEFAULT_FLEET_FILE = 'fleet.yaml';

/** Load `file` (relative to `cwd`); a missing file is a UserError, problems in it a ConfigError. */
export async function loadFleet(file: string | undefined, cwd: string, stateDirFlag?: string): Promise<LoadedFleet> {
  const display = file ?? DEFAULT_FLEET_FILE;
  const absolute = path.resolve(cwd, display);
  const info = await stat(absolute).catch(() => undefined);
  if (!info?.isFile()) {
    throw new UserError(`no fleet file at ${display}`, { hint: 'pass --fleet PATH, or write fleet.yaml (see docs/fleet.md; `orchestrate schema --fleet` prints its format)' });
  }
  const text = (await readFile(absolute, 'utf8')).replace(/^\uFEFF/, '');
  const config = parseFleet(text, display);
  const dir = path.dirname(absolute);
  return {
    config,
    file: absolute,
    planFile: path.resolve(dir, config.plan),
    stateDir: stateDirFlag ? path.resolve(cwd, stateDirFlag) : path.resolve(dir, config.state_dir ?? path.join('.orchestrate-fleet', config.name)),
    pauseMs: config.pacing?.pause_between_batches === undefined ? 0 : (parseDuration(config.pacing.pause_between_batches) ?? 0),
  };
}

/** Parse and check a fleet file's text; throws ConfigError with every problem. */
export function parseFleet(text: string, file: string): FleetConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (yamlPath: YamlPath, message: string, hint?: string, target: 'key' | 'value' = 'value'): Diagnostic => {
    const span = locate(doc, lineCounter, yamlPath, target);
    return { file, line: span.line, column: span.column, length: span.length, path: formatPath(yamlPath), message, hint, excerpt: excerptAt(text, span.line, span.column, span.length) };
  };
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((error) => {
        const pos = lineCounter.linePos(error.pos[0]);
        return { file, line: pos.line, column: pos.col, length: 1, path: '', message: `YAML syntax: ${error.message.split('\n')[0] ?? ''}`, hint: 'check the indentation and quoting here', excerpt: excerptAt(text, pos.line, pos.col, 1) };
      }),
    );
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError([at([], 'a fleet file is a mapping with `version`, `name`, `plan` and `repositories` or `select`', 'start it with `version: 1`')]);
  }
  const result = fleetSchema.safeParse(raw);
  const diagnostics: Diagnostic[] = result.success ? [] : result.error.issues.flatMap((issue) => issueDiagnostics(issue, at));
  if (result.success && !result.data.repositories?.length && !result.data.select) {
    diagnostics.push(at([], 'the fleet names no repositories', 'add `repositories:` (a list of `- repo: owner/name`) or `select:` (an `org` or `user` with filters)'));
  }
  if (result.success) {
    const seen = new Map<string, number>();
    result.data.repositories?.forEach((entry, i) => {
      const key = entry.repo.toLowerCase();
      if (seen.has(key)) diagnostics.push(at(['repositories', i, 'repo'], `${entry.repo} is listed twice (first at repositories[${seen.get(key)}])`, 'keep one entry per repository'));
      else seen.set(key, i);
    });
  }
  if (diagnostics.length > 0) throw new ConfigError(diagnostics);
  return (result as { data: FleetConfig }).data;
}

type At = (yamlPath: YamlPath, message: string, hint?: string, target?: 'key' | 'value') => Diagnostic;

function issueDiagnostics(issue: z.core.$ZodIssue, at: At): Diagnostic[] {
  const yamlPath = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => at([...yamlPath, key], `unknown key "${key}"`, 'remove it, or check its spelling and indentation (`orchestrate schema --fleet` lists the keys)', 'key'));
  }
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined) {
    const key = yamlPath[yamlPath.length - 1];
    return [at(yamlPath, `missing required field "${String(key)}"`, `add \`${String(key)}:\` here`, 'key')];
  }
  if (issue.code === 'invalid_value' && issue.values.length > 1) {
    return [at(yamlPath, `${JSON.stringify(issue.input)} is not one of the allowed values`, `allowed: ${issue.values.map(String).join(', ')}`)];
  }
  return [at(yamlPath, issue.message)];
}
