/**
 * The locator of a plan taken from the cache: the YAML is parsed, with its
 * positions, only when a problem is first located, never on the way in. The
 * parser (src/config/load.ts, and the yaml package with it) is not imported
 * here: load.ts hands it over when it is loaded, and `loadParser` loads it,
 * so that a hit that locates nothing never loads YAML at all.
 */
import { formatPath } from './diagnostics.js';
import type { Diagnose, parsePlanText } from './load.js';
import type { PlanSource } from './plan-source.js';

type Parse = typeof parsePlanText;

let parser: Parse | undefined;

/** Called by load.ts as it is loaded. */
export function provideParser(parse: Parse): void {
  parser = parse;
}

/** Load the parser, so that every locator made here gives line and column. */
export async function loadParser(): Promise<void> {
  if (parser === undefined) await import('./load.js');
}

/**
 * A locator that parses `source` on its first use. Until the parser is loaded
 * (`loadParser`), a problem is named by its YAML path at the top of the file.
 */
export function lazyDiagnose(source: PlanSource): Diagnose {
  let parsed: ReturnType<Parse> | undefined;
  return (path, message, options) => {
    if (parser !== undefined) parsed ??= parser(source);
    const located = parsed?.diagnose;
    if (located) return located(path, message, options);
    return { file: source.file, line: 1, column: 1, length: 1, path: formatPath(path), message, hint: options?.hint, excerpt: '' };
  };
}
