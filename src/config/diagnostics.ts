/**
 * Located problems in a plan file, and their rendering with a source excerpt
 * and a caret. The config layer returns these; the CLI decides how to show them.
 */

export interface Diagnostic {
  /** The plan file as the user named it. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Length of the span to underline (at least 1). */
  length: number;
  /** YAML path such as `phases[2].groups[0].tasks[3].action`; empty for the whole file. */
  path: string;
  message: string;
  hint?: string | undefined;
  /** A few lines of source with a caret under the span; empty when there is no text to show. */
  excerpt: string;
}

/** Render a YAML path of keys and indexes as `a.b[2].c`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** A source excerpt: the line before, the line itself, and a caret line. */
export function excerptAt(source: string, line: number, column: number, length: number): string {
  const lines = source.split(/\r?\n/);
  const target = lines[line - 1];
  if (target === undefined) return '';
  const width = String(line).length;
  const gutter = (n: number | '') => `${String(n).padStart(width)} | `;
  const out: string[] = [];
  const before = lines[line - 2];
  if (before !== undefined && before.trim() !== '') out.push(`  ${gutter(line - 1)}${clip(before)}`);
  out.push(`> ${gutter(line)}${clip(target)}`);
  const span = Math.max(1, Math.min(length, Math.max(1, target.length - column + 1)));
  const pad = target.slice(0, column - 1).replace(/[^\t]/g, ' ');
  out.push(`  ${gutter('')}${pad}${'^'.repeat(Math.min(span, 60))}`);
  return out.join('\n');
}

function clip(text: string): string {
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** One diagnostic as the CLI prints it. */
export function renderDiagnostic(d: Diagnostic): string {
  const head = `${d.file}:${d.line}:${d.column}${d.path ? ` ${d.path}` : ''}`;
  const parts = [head, `  error: ${d.message}`];
  if (d.excerpt) parts.push(d.excerpt.replace(/^/gm, '  '));
  if (d.hint) parts.push(`  hint: ${d.hint}`);
  return parts.join('\n');
}

/** Closest candidate within a small edit distance, for "did you mean". */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length] ?? 99;
}
