/**
 * YAML syntax errors as located diagnostics. The yaml library reports an
 * unclosed bracket or quote where it gave up (often the end of the file); a
 * person needs the place where it was opened, so those are moved there.
 */
import { Parser, type Document, type LineCounter } from 'yaml';
import { excerptAt, type Diagnostic } from './diagnostics.js';

type YamlError = Document['errors'][number];

/** Diagnostics for the syntax errors of one document, each located for people. */
export function syntaxDiagnostics(file: string, text: string, lineCounter: LineCounter, errors: readonly YamlError[]): Diagnostic[] {
  // Walking the token tree again is only worth it when an error is about an unclosed opening.
  let openings: Opening[] | undefined;
  return errors.map((error) => {
    const opening = openingFor(error, () => (openings ??= unclosedOpenings(text)));
    const [start, end] = opening ? [opening.offset, opening.offset + 1] : error.pos;
    const pos = lineCounter.linePos(start);
    const endPos = lineCounter.linePos(end);
    const length = endPos.line === pos.line ? Math.max(1, endPos.col - pos.col) : 1;
    return {
      file,
      line: pos.line,
      column: pos.col,
      length,
      path: '',
      message: `YAML syntax error: ${opening ? opening.message : plainMessage(error)}`,
      hint: opening ? opening.hint : syntaxHint(error.code),
      excerpt: excerptAt(text, pos.line, pos.col, length),
    };
  });
}

function plainMessage(error: YamlError): string {
  if (error.code === 'MULTIPLE_DOCS') return 'the file holds more than one YAML document (a second one starts at this `---`)';
  // "Unexpected flow-seq-end token in YAML stream: "]"" names parser internals; say which character.
  const unexpected = /^Unexpected [\w-]+ token in YAML stream: (.*)$/.exec(error.message.split('\n')[0] ?? '');
  if (unexpected) return `unexpected ${unexpected[1]} here`;
  return error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'not valid YAML';
}

function syntaxHint(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'each key may appear once in a mapping; remove or rename one of them';
    case 'TAB_AS_INDENT':
      return 'YAML indentation must use spaces, not tabs';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
      return 'check the indentation and the punctuation (: - [ ] { }) on this line and the one above';
    case 'BAD_DQ_ESCAPE':
      return 'in double quotes a backslash starts an escape: write \\\\ for a backslash, or use single quotes';
    case 'MULTIPLE_DOCS':
      return 'a plan is one YAML document; remove the extra `---` and what follows, or merge it into the first document';
    default:
      return 'fix the YAML syntax here; quoting a value that contains `:` or `#` often helps';
  }
}

interface Opening {
  kind: 'seq' | 'map' | 'quote';
  offset: number;
  message: string;
  hint: string;
  used: boolean;
}

/** The error an opening explains: an unclosed flow collection or quote reported at or after it. */
function openingFor(error: YamlError, openings: () => Opening[]): Opening | undefined {
  const message = error.message;
  const kind = /end with a \]/.test(message)
    ? 'seq'
    : /end with a \}/.test(message)
      ? 'map'
      : error.code === 'MISSING_CHAR' && /closing .?quote/.test(message)
        ? 'quote'
        : undefined;
  if (!kind) return undefined;
  // The innermost opening of that kind before the error that no other error has claimed.
  const candidates = openings().filter((o) => o.kind === kind && !o.used && o.offset <= error.pos[0]);
  const found = candidates[candidates.length - 1];
  if (found) found.used = true;
  return found;
}

/** Flow collections without their closing bracket and quoted scalars without their closing quote, in source order. */
function unclosedOpenings(text: string): Opening[] {
  const out: Opening[] = [];
  const walk = (token: unknown): void => {
    if (Array.isArray(token)) {
      token.forEach(walk);
      return;
    }
    if (!token || typeof token !== 'object') return;
    const t = token as { type?: unknown; offset?: unknown; source?: unknown; start?: unknown; end?: unknown };
    if (t.type === 'flow-collection' && typeof t.offset === 'number') {
      const open = (t.start as { source?: string } | undefined)?.source;
      const close = open === '[' ? ']' : '}';
      const closed = Array.isArray(t.end) && t.end.some((e: { source?: string }) => e.source === close);
      if (!closed) {
        out.push({
          kind: open === '[' ? 'seq' : 'map',
          offset: t.offset,
          message: `this \`${open}\` is never closed with \`${close}\``,
          hint: `add the closing \`${close}\` where the ${open === '[' ? 'list' : 'mapping'} ends (on the same line, or indented further than its key)`,
          used: false,
        });
      }
    }
    if ((t.type === 'double-quoted-scalar' || t.type === 'single-quoted-scalar') && typeof t.offset === 'number' && typeof t.source === 'string') {
      if (!closedQuote(t.source)) {
        const quote = t.source[0] ?? '"';
        out.push({
          kind: 'quote',
          offset: t.offset,
          message: `this ${quote} quote is never closed`,
          hint: `add the closing ${quote} at the end of the value; a ${quote} inside the value must be escaped (${quote === '"' ? '\\"' : "''"})`,
          used: false,
        });
      }
    }
    for (const value of Object.values(t)) if (value && typeof value === 'object') walk(value);
  };
  for (const token of new Parser().parse(text)) walk(token);
  return out.sort((a, b) => a.offset - b.offset);
}

function closedQuote(source: string): boolean {
  const quote = source[0];
  const body = source.slice(1).trimEnd();
  if (!body.endsWith(quote ?? '"')) return false;
  if (quote === '"') {
    // The last quote is a closing one unless an odd number of backslashes escapes it.
    const backslashes = /\\*$/.exec(body.slice(0, -1))?.[0].length ?? 0;
    return backslashes % 2 === 0;
  }
  // In single quotes '' is an escaped quote: an odd run of trailing quotes ends the value.
  const quotes = /'*$/.exec(body)?.[0].length ?? 0;
  return quotes % 2 === 1;
}
