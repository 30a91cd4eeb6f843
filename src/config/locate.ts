/**
 * Maps a YAML path (keys and indexes) to a place in the source: the node at
 * that path, its key, or the nearest enclosing node that exists.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface SourceSpan {
  line: number;
  column: number;
  length: number;
  /** False when the path does not exist and the span is the nearest parent. */
  exact: boolean;
}

export type YamlPath = readonly (string | number)[];

/** Locate `path` in `doc`; `target: 'key'` points at the key of the last segment. */
export function locate(doc: Document, lineCounter: LineCounter, path: YamlPath, target: 'value' | 'key' = 'value'): SourceSpan {
  let node: Node | null = doc.contents as Node | null;
  let span: [number, number] | undefined = range(node);
  let exact = true;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (node && isAlias(node)) node = node.resolve(doc) ?? null;
    let next: Node | null | undefined;
    if (node && isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair) {
        const keyNode = pair.key as Node;
        if (last && target === 'key') {
          span = range(keyNode) ?? span;
          node = null;
          break;
        }
        next = (pair.value as Node | null) ?? null;
        // A key with no value (`name:`) is located at its key.
        if (!next || !range(next)) {
          span = range(keyNode) ?? span;
          node = null;
          exact = last;
          break;
        }
      }
    } else if (node && isSeq(node) && typeof segment === 'number') {
      next = (node.items[segment] as Node | undefined) ?? undefined;
    }
    if (!next) {
      exact = false;
      break;
    }
    node = next;
    span = range(node) ?? span;
  }
  const [start, end] = span ?? [0, 1];
  const pos = lineCounter.linePos(start);
  const endPos = lineCounter.linePos(Math.max(start, end));
  const length = endPos.line === pos.line ? Math.max(1, endPos.col - pos.col) : 1;
  return { line: pos.line, column: pos.col, length, exact };
}

function range(node: Node | null | undefined): [number, number] | undefined {
  const r = node?.range;
  return r ? [r[0], r[1]] : undefined;
}
