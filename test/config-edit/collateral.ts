/**
 * Counting collateral lines: the lines a config edit changed that are not
 * part of the change it meant to make. A changed line is part of the change
 * when it holds one of the operation's new keys or values, when it is only
 * the brackets of a new block, when it is an old line that merely gained a
 * comma or new items, or when it is an item of such a line that moved to a
 * line of its own (a one-line list grown too long); anything else (a reflowed neighbour, a changed quote, a
 * lost comment) is collateral. Shared by the corpus tests of config edits.
 */
import { diffLines } from 'diff';
import type { EditOp } from '../../handlers/config-edit/ops.js';

/** The keys and scalar values an operation writes, as text. */
export function opTokens(ops: readonly EditOp[]): string[] {
  const out = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        out.add(key);
        walk(inner);
      }
    } else if (value !== undefined) out.add(String(value));
  };
  for (const op of ops) {
    for (const step of op.path) if (typeof step === 'string') out.add(step);
    if (op.op !== 'delete') walk(op.value);
  }
  return [...out];
}

function mentions(line: string, tokens: readonly string[]): boolean {
  return tokens.some((token) => {
    if (/^-?\d+(\.\d+)?$/.test(token)) return new RegExp(`(^|[^\\w.])${token.replace('.', '\\.')}([^\\w.]|$)`).test(line);
    return line.includes(`'${token}'`) || line.includes(`"${token}"`) || line.includes(`\`${token}\``) || new RegExp(`(^|[\\s{,])${escape(token)}\\s*:`).test(line);
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True when `after` is `before` with commas or new items (holding tokens) added and nothing else. */
function onlyGained(before: string, after: string, tokens: readonly string[]): boolean {
  let reduced = after;
  for (const token of tokens) {
    for (const quoted of [`'${token}'`, `"${token}"`]) {
      reduced = reduced.split(`, ${quoted}`).join('').split(`${quoted}, `).join('').split(quoted).join('');
    }
  }
  const strip = (s: string) => s.replace(/,/g, '').replace(/\s+/g, ' ').trim();
  return strip(reduced) === strip(before);
}

/** The changed lines of an edit and those of them that are collateral. */
export function collateralLines(before: string, after: string, tokens: readonly string[]): { changed: number; collateral: string[] } {
  const removed: string[] = [];
  const added: string[] = [];
  for (const part of diffLines(before, after)) {
    const lines = part.value.replace(/\n$/, '').split('\n');
    if (part.removed) removed.push(...lines);
    else if (part.added) added.push(...lines);
  }
  const collateral: string[] = [];
  const pairedAdded = new Set<number>();
  for (const line of removed) {
    // An old line is rewritten only to gain a comma or items, or to get a new value in place of its old one.
    const index = added.findIndex((a, i) => !pairedAdded.has(i) && (onlyGained(line, a, tokens) || (sameShape(line, a) && mentions(a, tokens))));
    if (index < 0) collateral.push(`- ${line}`);
    else pairedAdded.add(index);
  }
  // A one-line list that grew too long is written one item a line: its old items come back on lines of their own.
  const explained = removed.filter((line) => !collateral.includes(`- ${line}`));
  added.forEach((line, i) => {
    if (pairedAdded.has(i)) return;
    if (/^\s*[[\]{}(),;]*\s*$/.test(line) || mentions(line, tokens)) return;
    const item = line.trim().replace(/,$/, '');
    if (item !== '' && explained.some((old) => old.includes(item))) return;
    collateral.push(`+ ${line}`);
  });
  return { changed: removed.length + added.length, collateral };
}

/** The same line apart from its value: `lines: 70,` and `lines: 80,`. */
function sameShape(before: string, after: string): boolean {
  const key = (s: string) => /^\s*([^:]+):/.exec(s)?.[1];
  return key(before) !== undefined && key(before) === key(after);
}
