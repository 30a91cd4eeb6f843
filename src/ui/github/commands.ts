/**
 * GitHub Actions workflow commands and files, written by the rules of
 * actions/toolkit (`@actions/core`): data and properties escaped, outputs in
 * the multi-line-safe `name<<delimiter` form with a delimiter the value cannot
 * contain, and task output fenced by `::stop-commands::` so a line a task
 * prints can never be taken for a command.
 */
import { randomUUID } from 'node:crypto';

/** Escape a command's message (`::error::<message>`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a property value (`file=`, `title=`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export interface AnnotationProperties {
  title?: string | undefined;
  file?: string | undefined;
  line?: number | undefined;
  col?: number | undefined;
}

/** `::error file=…,line=…,title=…::message` (or warning / notice). */
export function annotation(kind: 'error' | 'warning' | 'notice', message: string, props: AnnotationProperties = {}): string {
  const list = Object.entries(props)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`);
  return `::${kind}${list.length ? ` ${list.join(',')}` : ''}::${escapeData(message)}`;
}

/** A file named by a failure, split into path and line where it carries one (`src/a.ts:12:3`). */
export function fileAndLine(errorFile: string | undefined): { file?: string; line?: number; col?: number } {
  if (!errorFile) return {};
  const match = /^(.+?):(\d+)(?::(\d+))?$/.exec(errorFile);
  if (!match) return { file: errorFile };
  return { file: match[1]!, line: Number(match[2]), ...(match[3] ? { col: Number(match[3]) } : {}) };
}

/** Lines that show `lines` verbatim: workflow commands inside are not run. */
export function verbatim(lines: readonly string[]): string[] {
  if (!lines.some((l) => l.includes('::'))) return [...lines];
  const token = `orchestrate-${randomUUID()}`;
  return [`::stop-commands::${token}`, ...lines, `::${token}::`];
}

/** `$GITHUB_OUTPUT` text for the outputs, each in the multi-line form. */
export function outputFileText(outputs: Record<string, string>): string {
  let text = '';
  for (const [name, value] of Object.entries(outputs)) {
    let delimiter = `ghadelimiter_${randomUUID()}`;
    while (value.includes(delimiter)) delimiter = `ghadelimiter_${randomUUID()}`;
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  return text;
}
