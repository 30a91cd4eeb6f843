/**
 * Positions in YAML source text for the splicing engine (yaml.ts): line
 * starts and ends, columns, the colon of a pair, the dash of an item, and
 * where a node's own text ends (trailing comments and blank lines after it
 * belong to what follows, though the parser's ranges may include them).
 */
import { isAlias, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';

/** A map or sequence node. */
export type Container = YAMLMap<unknown, unknown> | YAMLSeq<unknown>;

/** Positions in the source text: lines, columns, and where a node's own text ends. */
export class SourceText {
  constructor(readonly text: string) {}



  lineStart(pos: number): number {
    return this.text.lastIndexOf('\n', pos - 1) + 1;
  }

  /** The start of the line after the one holding `pos - 1` (a position already at a line start stays). */
  lineEndAfter(pos: number): number {
    if (pos > 0 && this.text[pos - 1] === '\n') return pos;
    const newline = this.text.indexOf('\n', pos);
    return newline < 0 ? this.text.length : newline + 1;
  }

  column(pos: number): number {
    return pos - this.lineStart(pos);
  }

  isLineFirst(pos: number): boolean {
    return this.text.slice(this.lineStart(pos), pos).trim() === '';
  }

  colonOf(pair: Pair<unknown, unknown>): number {
    const keyEnd = (pair.key as Node | null)?.range?.[1] ?? 0;
    const colon = this.text.indexOf(':', keyEnd);
    return colon < 0 ? keyEnd : colon;
  }

  closeOf(collection: Container): number {
    return collection.range![1] - 1 - (this.text.slice(collection.range![0], collection.range![1]).length - this.text.slice(collection.range![0], collection.range![1]).trimEnd().length);
  }

  dashOf(seq: YAMLSeq<unknown>, index: number): number {
    const item = seq.items[index] as Node | null;
    let pos = (item?.range?.[0] ?? seq.range![0]) - 1;
    while (pos >= 0 && /\s/.test(this.text[pos]!)) pos -= 1;
    if (this.text[pos] !== '-') {
      // An empty item: its range sits at the dash itself.
      pos = item?.range?.[0] ?? seq.range![0];
      while (pos >= 0 && this.text[pos] !== '-') pos -= 1;
    }
    return pos;
  }

  /** Where a node's own text ends: trailing comments and blank lines after it belong to what follows. */
  contentEnd(node: unknown): number | undefined {
    if (node === null || node === undefined) return undefined;
    if (isScalar(node)) return node.range![0] === node.range![1] ? undefined : node.range![1];
    if (isAlias(node)) return node.range![1];
    if (isMap(node)) {
      if (node.flow === true || node.items.length === 0) return node.range![1];
      const last = node.items[node.items.length - 1]!;
      return this.contentEnd(last.value) ?? this.colonOf(last) + 1;
    }
    if (isSeq(node)) {
      if (node.flow === true || node.items.length === 0) return node.range![1];
      return this.contentEnd(node.items[node.items.length - 1]) ?? this.dashOf(node, node.items.length - 1) + 1;
    }
    return undefined;
  }

  pairEnd(pair: Pair<unknown, unknown>): number {
    return this.lineEndAfter(this.contentEnd(pair.value) ?? this.colonOf(pair) + 1);
  }

  itemEnd(seq: YAMLSeq<unknown>, index: number): number {
    return this.lineEndAfter(this.contentEnd(seq.items[index]) ?? this.dashOf(seq, index) + 1);
  }
}
