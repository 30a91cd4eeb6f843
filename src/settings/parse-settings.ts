/**
 * Parses the text of a settings file against its schema. Every problem is a
 * located Diagnostic (file:line:col and YAML path), as for plans; nothing here
 * reads files or prints.
 */
import { LineCounter, parseDocument } from 'yaml';
import { closest, excerptAt, formatPath, type Diagnostic } from '../config/diagnostics.js';
import { issueMessage } from '../config/issue-message.js';
import { locate, type YamlPath } from '../config/locate.js';
import { syntaxDiagnostics } from '../config/syntax-errors.js';
import { settingsSchema, type SettingsFile } from './schema.js';

export type SettingsParse = { ok: true; settings: SettingsFile } | { ok: false; diagnostics: Diagnostic[] };

const KEYS = Object.keys(settingsSchema.shape);

/** Parse `text` (the file named `file` in messages). An empty file is no settings. */
export function parseSettings(file: string, text: string): SettingsParse {
  const source = text.replace(/^\uFEFF/, '');
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) return { ok: false, diagnostics: syntaxDiagnostics(file, source, lineCounter, doc.errors) };
  const diagnose = (path: YamlPath, message: string, hint?: string, target: 'key' | 'value' = 'value'): Diagnostic => {
    const span = locate(doc, lineCounter, path, target);
    return { file, line: span.line, column: span.column, length: span.length, path: formatPath(path), message, hint, excerpt: excerptAt(source, span.line, span.column, span.length) };
  };
  if (doc.contents === null) return { ok: true, settings: {} };
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { ok: false, diagnostics: [diagnose([], `the settings cannot be read: ${error instanceof Error ? error.message : String(error)}`)] };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, diagnostics: [diagnose([], 'a settings file must be a mapping of setting names to values', 'for example `concurrency: 4`')] };
  }
  const result = settingsSchema.safeParse(raw, { error: issueMessage });
  if (result.success) return { ok: true, settings: result.data };
  const diagnostics = result.error.issues.flatMap((issue): Diagnostic[] => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const guess = closest(key, KEYS);
        return diagnose([...path, key], `unknown setting "${key}"`, guess ? `did you mean "${guess}"?` : `known settings: ${KEYS.filter((k) => k !== '$schema').join(', ')}`, 'key');
      });
    }
    if (issue.code === 'invalid_value' && issue.values.length > 1) return [diagnose(path, issue.message, `allowed: ${issue.values.map(String).join(', ')}`)];
    return [diagnose(path, issue.message)];
  });
  return { ok: false, diagnostics };
}
