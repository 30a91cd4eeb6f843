/**
 * The YAML format engine: edits a YAML file by splicing text at the source
 * ranges of the nodes an operation touches, never by re-printing the document,
 * so comments, blank lines, key order, quotes, flow collections, block
 * scalars, anchors and indentation outside the edit stay byte-identical.
 * New structure is rendered in the file's own style (yaml-layout.ts).
 *
 * A file with several documents parses as a list of them; paths then start
 * with the document's index.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, Scalar, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { UserError } from '../../../src/errors.js';
import { dataEqual, formatPath, type DataPath, type EditOp, type FormatEngine } from '../ops.js';
import { SourceText, type Container } from './yaml-source.js';
import { detectStyle, indentLine, isInline, isPlainMap, renderFlow, renderItem, renderPair, renderRoot, renderScalar, type YamlStyle } from './yaml-layout.js';

export const yamlEngine: FormatEngine = {
  kind: 'yaml',
  parse: (text, file) => {
    const docs = load(text, file);
    if (docs.length > 1) return docs.map((doc) => doc.toJS());
    return docs[0]?.toJS() ?? null;
  },
  apply: (text, ops, file) => {
    let out = text;
    for (const op of ops) out = applyOp(out, op, file);
    return out;
  },
};

/**
 * Texts parsed lately and their documents, most recent last. An edit parses
 * its input, parses it again for its first operation, and parses its output to
 * prove it; the next edit of the same file starts from that output. The
 * documents are only read (splices work on the text), so they can be shared.
 */
const parsed = new Map<string, Document.Parsed[]>();
const PARSED_KEPT = 8;

/** The documents of `text`; a syntax error is a UserError at file:line:col. */
function load(text: string, file: string): Document.Parsed[] {
  const known = parsed.get(text);
  if (known !== undefined) {
    parsed.delete(text);
    parsed.set(text, known);
    return known;
  }
  const docs = parseAllDocuments(text);
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error === undefined) continue;
    const at = error.linePos?.[0];
    const where = at === undefined ? file : `${file}:${at.line}:${at.col}`;
    const what = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new UserError(`${where}: YAML syntax error: ${what}`, {
      retryable: false,
      file,
      hint: 'Fix the YAML at that position (a YAML linter shows the same error), then run again.',
    });
  }
  parsed.set(text, docs);
  if (parsed.size > PARSED_KEPT) parsed.delete(parsed.keys().next().value!);
  return docs;
}


/** One step down a path: the container it went through and the slot in it. */
interface Step {
  container: Container | undefined;
  /** Index of the pair (map) or item (sequence) in the container. */
  index: number;
  node: Node | null;
}

/** One operation on the whole text: a parse, a located splice, or smaller operations. */
function applyOp(text: string, op: EditOp, file: string): string {
  const docs = load(text, file);
  const multi = docs.length > 1;
  const docIndex = multi ? op.path[0] : 0;
  const doc = typeof docIndex === 'number' ? docs[docIndex] : undefined;
  const path = multi ? op.path.slice(1) : op.path;
  if (multi && (doc === undefined || path.length === 0)) {
    throw refuse(file, op.path, 'the file holds several YAML documents: start the path with a document index, e.g. [0].key');
  }
  const editor = new Splicer(text, detectStyle(text), file, doc, op.path.slice(0, op.path.length - path.length));
  const result = editor.run({ ...op, path });
  if (typeof result === 'string') return result;
  let out = text;
  for (const sub of result) out = applyOp(out, sub, file);
  return out;
}

function refuse(file: string, path: DataPath, why: string): UserError {
  return new UserError(`${file}: cannot edit ${formatPath(path)}: ${why}`, {
    retryable: false,
    file,
    hint: 'Edit this part of the file by hand, or point the edit at a plainer part of it.',
  });
}

/** Splices one operation into the text of one document. */
class Splicer {
  private readonly src: SourceText;

  constructor(
    private readonly text: string,
    private readonly style: YamlStyle,
    private readonly file: string,
    private readonly doc: Document.Parsed | undefined,
    /** The document index in front of every path of a multi-document file. */
    private readonly prefix: DataPath,
  ) {
    this.src = new SourceText(text);
  }

  /** The new text, or smaller operations (full paths) to apply one by one. */
  run(op: EditOp): string | EditOp[] {
    const root = (this.doc?.contents ?? null) as Node | null;
    const { steps, missing } = this.walk(root, op.path);
    const last = steps[steps.length - 1]!;
    if (op.op === 'delete') {
      if (missing.length > 0) return this.text;
      if (last.container === undefined) throw this.refuse(op.path, 'deleting the whole document is not supported');
      return this.remove(last.container, last.index, steps[steps.length - 2]!);
    }
    if (op.op === 'insert') {
      if (missing.length > 0 || last.node === null || (isScalar(last.node) && last.node.value === null)) {
        return [{ op: 'set', path: this.full(op.path), value: [op.value], ...(op.comment === undefined ? {} : { comment: op.comment }) }];
      }
      if (!isSeq(last.node)) throw this.refuse(op.path, 'it is not a sequence');
      return this.insertItem(last.node, op.index, op.value, op.comment);
    }
    if (missing.length === 0) {
      const old = last.node;
      // A one-line value replaced with a comment: the comment goes after it (`uses: a@<sha> # v4`).
      if (op.comment !== undefined && isScalar(old) && !isBlockScalar(old) && old.range![0] !== old.range![1] && last.container?.flow !== true && isInline(op.value)) {
        return this.replaceWithComment(old, op.value, op.comment);
      }
      return this.replace(last, op.path, op.value);
    }
    const [first, ...rest] = missing;
    const value = rest.reduceRight<unknown>((inner, key) => ({ [String(key)]: inner }), op.value);
    if (last.node === null || (isScalar(last.node) && last.node.value === null)) {
      return this.replace(last, op.path.slice(0, steps.length - 1), { [String(first)]: value });
    }
    if (isMap(last.node)) return this.insertPair(last.node, String(first), value, op.comment, rest.length === 0 ? op : {});
    if (isSeq(last.node) && first === last.node.items.length) return this.insertItem(last.node, first, value, op.comment);
    throw this.refuse(op.path, `${formatPath(op.path.slice(0, steps.length - 1)) } is not a map`);
  }

  private full(path: DataPath): DataPath {
    return [...this.prefix, ...path];
  }

  private refuse(path: DataPath, why: string): UserError {
    return refuse(this.file, this.full(path), why);
  }

  /** The nodes along `path` as far as they exist, and the keys that do not. */
  private walk(root: Node | null, path: DataPath): { steps: Step[]; missing: DataPath } {
    const steps: Step[] = [{ container: undefined, index: 0, node: root }];
    for (const [i, key] of path.entries()) {
      const node = steps[steps.length - 1]!.node;
      if (isAlias(node)) throw this.refuse(path, `${formatPath(path.slice(0, i))} is an alias (*${node.source}); edit the anchored node instead`);
      if (isMap(node)) {
        const index = node.items.findIndex((pair) => keyOf(pair) === String(key));
        if (index < 0) return { steps, missing: path.slice(i) };
        steps.push({ container: node, index, node: (node.items[index]!.value ?? null) as Node | null });
      } else if (isSeq(node) && typeof key === 'number' && key < node.items.length) {
        steps.push({ container: node, index: key, node: (node.items[key] ?? null) as Node | null });
      } else {
        return { steps, missing: path.slice(i) };
      }
    }
    return { steps, missing: [] };
  }

  // --- replacing a value -------------------------------------------------

  private replace(at: Step, path: DataPath, value: unknown): string | EditOp[] {
    const old = at.node;
    const container = at.container;
    const inFlow = container?.flow === true;
    if (isAlias(old)) throw this.refuse(path, `it is an alias (*${old.source}); edit the anchored node instead`);
    // Same kind of collection on both sides: edit the differences only.
    // (A map sharing no key with the new one is written anew: emptying it first would leave `{}` behind.)
    if (isMap(old) && isPlainMap(value) && (old.items.length === 0 || old.items.some((pair) => Object.hasOwn(value, keyOf(pair) ?? '')))) {
      return this.diffMap(old, path, value);
    }
    if (isSeq(old) && Array.isArray(value)) return this.diffSeq(old, path, value);
    if (container === undefined) return this.replaceRoot(old, value);
    const range = old?.range ?? undefined;
    const hasText = range !== undefined && range[0] !== range[1];
    if (inFlow) {
      if (!hasText) return this.replaceFlowNull(container, at.index, value);
      return this.splice(range[0], range[1], renderFlow(value, this.style));
    }
    const oldInline = old === null || (isScalar(old) && !isBlockScalar(old)) || ((isMap(old) || isSeq(old)) && old.flow === true);
    if (oldInline && hasText && isInline(value)) return this.splice(range[0], range[1], this.inlineLike(old, value));
    // `needs: lint` becoming a list of names stays on its line: `needs: [lint, changes]`.
    if (isScalar(old) && !isBlockScalar(old) && hasText && Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) {
      return this.splice(range[0], range[1], renderFlow(value, this.style));
    }
    if (isMap(container)) {
      if (isScalar(old) && isBlockScalar(old)) return this.replaceBlockScalar(container, at.index, old, value);
      if (oldInline) return this.fillPair(container, at.index, value);
      return this.rewritePair(container, at.index, value);
    }
    return this.rewriteItem(container, at.index, value);
  }

  /** A block collection becomes something else: the pair is written anew in its place. */
  private rewritePair(map: YAMLMap<unknown, unknown>, index: number, value: unknown): string {
    const pair = map.items[index]!;
    const start = startOf(pair.key);
    const column = this.src.column(start);
    const lines = renderPair(keyOf(pair) ?? '', value, this.style).map((l, i) => (i === 0 ? l : indentLine(l, column)));
    return this.splice(start, this.src.pairEnd(pair), `${lines.join('\n')}\n`);
  }

  /** A sequence item written anew in its place. */
  private rewriteItem(seq: YAMLSeq<unknown>, index: number, value: unknown): string {
    const dash = this.src.dashOf(seq, index);
    const column = this.src.column(dash);
    const lines = renderItem(value, this.style).map((l, i) => (i === 0 ? l : indentLine(l, column)));
    return this.splice(dash, this.src.itemEnd(seq, index), `${lines.join('\n')}\n`);
  }

  /** The differences between a map node and a new map, as ops on its keys. */
  private diffMap(old: YAMLMap<unknown, unknown>, path: DataPath, value: Record<string, unknown>): EditOp[] {
    const ops: EditOp[] = [];
    const oldKeys = old.items.map(keyOf);
    for (const key of oldKeys) if (key !== undefined && !Object.hasOwn(value, key)) ops.push({ op: 'delete', path: this.full([...path, key]) });
    for (const [key, next] of Object.entries(value)) {
      const index = oldKeys.indexOf(key);
      const before = index < 0 ? undefined : this.toJS(old.items[index]!.value);
      if (index < 0 || !dataEqual(before, next)) ops.push({ op: 'set', path: this.full([...path, key]), value: next });
    }
    return ops;
  }

  /** The differences between a sequence node and a new list: item edits, then appends or removals at the end. */
  private diffSeq(old: YAMLSeq<unknown>, path: DataPath, value: unknown[]): EditOp[] {
    const ops: EditOp[] = [];
    const common = Math.min(old.items.length, value.length);
    for (let i = 0; i < common; i += 1) {
      if (!dataEqual(this.toJS(old.items[i]), value[i])) ops.push({ op: 'set', path: this.full([...path, i]), value: value[i] });
    }
    for (let i = old.items.length - 1; i >= value.length; i -= 1) ops.push({ op: 'delete', path: this.full([...path, i]) });
    for (let i = old.items.length; i < value.length; i += 1) ops.push({ op: 'insert', path: this.full(path), index: i, value: value[i] });
    return ops;
  }

  private toJS(node: unknown): unknown {
    if (node === null || node === undefined) return null;
    return (node as Node).toJS(this.doc!);
  }

  /** A new inline value written like the one it replaces (same quotes where the value allows). */
  private inlineLike(old: Node | null, value: unknown): string {
    if (typeof value === 'string' && isScalar(old)) {
      if (old.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
      if (old.type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
    }
    // A scalar in a block collection is in block context: commas and brackets need no quotes there.
    return value !== null && typeof value === 'object' ? renderFlow(value, this.style) : renderScalar(value, this.style);
  }

  /** A key whose value is empty, inline or flow gets a new value after its colon. */
  private fillPair(map: YAMLMap<unknown, unknown>, index: number, value: unknown): string {
    const pair = map.items[index]!;
    const colon = this.src.colonOf(pair);
    const old = pair.value as Node | null;
    const oldStart = old?.range?.[0] ?? colon + 1;
    const oldEnd = old?.range?.[1] ?? colon + 1;
    const column = this.src.column(startOf(pair.key));
    const [head, ...children] = renderPair('k', value, this.style);
    const suffix = head!.slice(2);
    const lineEnd = this.src.lineEndAfter(oldEnd);
    const eol = lineEnd > 0 && this.text[lineEnd - 1] === '\n' ? lineEnd - 1 : lineEnd;
    const body = children.map((line) => `\n${indentLine(line, column)}`).join('');
    // Remove the old inline text (and the space before it), keep a trailing comment, add the block below.
    const before = this.text.slice(0, colon + 1);
    const between = this.text.slice(oldEnd, eol);
    return `${before}${suffix}${oldStart === oldEnd ? this.text.slice(colon + 1, eol).replace(/^ +(?=#)/, ' ') : between}${body}${this.text.slice(eol)}`;
  }

  /** A `key: |` block scalar gets a new value after the same colon. */
  private replaceBlockScalar(map: YAMLMap<unknown, unknown>, index: number, old: Scalar, value: unknown): string {
    const pair = map.items[index]!;
    const colon = this.src.colonOf(pair);
    const column = this.src.column(startOf(pair.key));
    const [head, ...children] = renderPair('k', value, this.style);
    const end = old.range![1];
    const newline = this.text[end - 1] === '\n' ? '\n' : '';
    const body = children.map((line) => `\n${indentLine(line, column)}`).join('');
    return this.splice(colon + 1, end, `${head!.slice(2)}${body}${newline}`);
  }

  private replaceRoot(old: Node | null, value: unknown): string {
    const lines = renderRoot(value, this.style).join('\n');
    const range = old?.range ?? undefined;
    if (range === undefined) return this.text + (this.text === '' || this.text.endsWith('\n') ? '' : '\n') + lines + '\n';
    const end = this.src.lineEndAfter(this.src.contentEnd(old) ?? range[1]);
    return this.splice(this.src.lineStart(range[0]), end, `${lines}\n`);
  }

  private replaceFlowNull(container: Container, index: number, value: unknown): string {
    const item = container.items[index];
    const pos = isPair(item) ? this.src.colonOf(item) + 1 : (item as Node | undefined)?.range?.[0] ?? 0;
    return this.splice(pos, pos, ` ${renderFlow(value, this.style)}`);
  }

  // --- inserting ---------------------------------------------------------

  private insertPair(map: YAMLMap<unknown, unknown>, key: string, value: unknown, comment: string | undefined, place: { before?: string; after?: string }): string {
    if (map.flow === true) {
      const pair = `${renderScalar(key, this.style, true)}: ${renderFlow(value, this.style)}`;
      return this.insertFlow(map, map.items.length, pair);
    }
    const first = map.items[0]!;
    const column = this.src.column(startOf(first.key));
    const lines = [...(comment === undefined ? [] : [`# ${comment}`]), ...renderPair(key, value, this.style)].map((l) => indentLine(l, column));
    const after = map.items.findIndex((pair) => place.after !== undefined && keyOf(pair) === place.after);
    const before = map.items.findIndex((pair) => place.before !== undefined && keyOf(pair) === place.before);
    if (after >= 0) return this.appendLines(this.src.pairEnd(map.items[after]!), lines);
    if (before >= 0 && this.src.isLineFirst(startOf(map.items[before]!.key))) {
      // Above the comment lines that introduce the key, so they stay with it.
      let start = this.src.lineStart(startOf(map.items[before]!.key));
      while (start > 0) {
        const previous = this.src.lineStart(start - 1);
        const line = this.text.slice(previous, start - 1);
        if (!/^[ \t]*#/.test(line) || this.src.column(previous + line.indexOf('#')) !== column) break;
        start = previous;
      }
      return this.splice(start, start, lines.map((l) => `${l}\n`).join(''));
    }
    return this.appendLines(this.src.pairEnd(map.items[map.items.length - 1]!), lines);
  }

  /** `value # comment` in place of a one-line scalar; a comment already there is kept after the new one. */
  private replaceWithComment(old: Scalar, value: unknown, comment: string): string {
    const [start, end] = old.range!;
    const eol = this.src.lineEndAfter(end);
    const rest = this.text.slice(end, this.text[eol - 1] === '\n' ? eol - 1 : eol);
    const existing = /^[ \t]+#[ \t]?(.*)$/.exec(rest);
    const kept = existing === null ? '' : existing[1]!.trimEnd() === comment ? '' : ` # ${existing[1]!.trimEnd()}`;
    return this.splice(start, existing === null ? end : end + rest.length, `${this.inlineLike(old, value)} # ${comment}${kept}`);
  }

  private insertItem(seq: YAMLSeq<unknown>, index: number, value: unknown, comment: string | undefined): string {
    if (seq.flow === true) return this.insertFlow(seq, index, renderFlow(value, this.style));
    if (seq.items.length === 0) throw new Error('a block sequence without items');
    const dash = this.src.dashOf(seq, 0);
    const column = this.src.column(dash);
    const lines = [...(comment === undefined ? [] : [`# ${comment}`]), ...renderItem(value, this.style)].map((l) => indentLine(l, column));
    if (index < seq.items.length) {
      const at = this.src.dashOf(seq, index);
      if (!this.src.isLineFirst(at)) throw refuse(this.file, [], 'items written on one line as "- - a" cannot be edited');
      const start = this.src.lineStart(at);
      return this.splice(start, start, lines.map((l) => `${l}\n`).join(''));
    }
    return this.appendLines(this.src.itemEnd(seq, seq.items.length - 1), lines);
  }

  private insertFlow(collection: Container, index: number, rendered: string): string {
    const items = collection.items as unknown[];
    if (items.length === 0) {
      const open = collection.range![0] + 1;
      const pad = this.style.flowPadding ? ' ' : '';
      const close = this.text.indexOf(collection.flow && isSeq(collection) ? ']' : '}', open);
      return this.splice(open, close, `${pad}${rendered}${pad}`);
    }
    if (index < items.length) {
      const start = flowStart(items[index]);
      return this.splice(start, start, `${rendered}, `);
    }
    const end = flowEnd(items[items.length - 1], this.src);
    return this.splice(end, end, `, ${rendered}`);
  }

  private appendLines(at: number, lines: string[]): string {
    // Lines of only spaces after the entry would read as content of a new block scalar: go past them.
    const blank = /^(?:[ \t]*\n)*/.exec(this.text.slice(at))![0];
    const pos = /[ \t]/.test(blank) ? at + blank.length : at;
    const needsNewline = pos > 0 && this.text[pos - 1] !== '\n';
    // At the end of a file without a final newline, the new lines end with one (a block scalar needs it).
    return this.splice(pos, pos, `${needsNewline ? '\n' : ''}${lines.join('\n')}\n`);
  }

  // --- removing ----------------------------------------------------------

  private remove(container: Container, index: number, holder: Step): string {
    const items = container.items as unknown[];
    if (container.flow === true) {
      const item = items[index];
      if (items.length === 1) return this.splice(container.range![0] + 1, this.src.closeOf(container), '');
      if (index < items.length - 1) return this.splice(flowStart(item), flowStart(items[index + 1]), '');
      return this.splice(flowEnd(items[index - 1], this.src), flowEnd(item, this.src), '');
    }
    if (items.length === 1) return this.makeEmpty(container, holder);
    if (isMap(container)) {
      const pair = container.items[index]!;
      const start = startOf(pair.key);
      const before = index > 0 ? container.items[index - 1]!.value : undefined;
      if (this.src.isLineFirst(start)) return this.splice(this.src.lineStart(start), this.pastStrayLines(this.src.pairEnd(pair), before), '');
      return this.splice(start, startOf(container.items[index + 1]!.key), '');
    }
    const seq = container as YAMLSeq<unknown>;
    const dash = this.src.dashOf(seq, index);
    if (!this.src.isLineFirst(dash)) throw refuse(this.file, [], 'items written on one line as "- - a" cannot be edited');
    return this.splice(this.src.lineStart(dash), this.pastStrayLines(this.src.itemEnd(seq, index), index > 0 ? seq.items[index - 1] : undefined), '');
  }

  /**
   * Where a removal that ends at `end` should end so that the lines of only
   * spaces after it (the trailing lines of the removed entry's own block
   * scalar) do not become content of a block scalar that ends the entry
   * before: a literal scalar indented less reads them as lines of spaces.
   */
  private pastStrayLines(end: number, before: unknown): number {
    const scalar = lastScalar(before);
    if (scalar === undefined || !isBlockScalar(scalar)) return end;
    const keep = /^[|>][0-9]?\+/.test(this.text.slice(scalar.range![0]));
    const run = /^(?:[ \t]*\n)*/.exec(this.text.slice(end))![0];
    if (keep) return end + run.length;
    // Under clip or strip chomping empty lines are dropped: only lines holding spaces matter.
    let past = end;
    for (let at = 0; at < run.length; at = run.indexOf('\n', at) + 1) {
      if (run[at] !== '\n') past = end + run.indexOf('\n', at) + 1;
    }
    return past;
  }

  /** The last entry of a block collection goes: the collection becomes `{}` or `[]`. */
  private makeEmpty(container: Container, holder: Step): string {
    const empty = isMap(container) ? '{}' : '[]';
    const end = this.src.lineEndAfter(this.src.contentEnd(container) ?? container.range![1]);
    const start = isMap(container) ? startOf(container.items[0]!.key) : this.src.dashOf(container as YAMLSeq<unknown>, 0);
    if (isMap(holder.container) && holder.container.flow !== true) {
      const colon = this.src.colonOf(holder.container.items[holder.index]!);
      const colonLineEnd = this.src.lineEndAfter(colon + 1);
      if (colonLineEnd <= start) {
        const eol = this.text[colonLineEnd - 1] === '\n' ? colonLineEnd - 1 : colonLineEnd;
        const trailer = this.text.slice(colon + 1, eol);
        return this.text.slice(0, colon + 1) + ` ${empty}` + trailer + (eol < colonLineEnd ? '\n' : '') + this.text.slice(Math.max(end, colonLineEnd));
      }
    }
    return this.splice(start, end, `${empty}\n`);
  }

  private splice(start: number, end: number, insert: string): string {
    return this.text.slice(0, start) + insert + this.text.slice(end);
  }
}

function keyOf(pair: Pair<unknown, unknown>): string | undefined {
  const key = pair.key;
  if (isScalar(key)) return String(key.value);
  return key === null || key === undefined ? undefined : String(key);
}

function startOf(node: unknown): number {
  return (node as Node).range![0];
}

/** The scalar an entry's text ends with: the last value of its last pair or item, at any depth. */
function lastScalar(node: unknown): Scalar | undefined {
  if (isScalar(node)) return node;
  if ((isMap(node) || isSeq(node)) && node.flow !== true && node.items.length > 0) {
    const last: unknown = node.items[node.items.length - 1];
    return lastScalar(isPair(last) ? last.value : last);
  }
  return undefined;
}

function isBlockScalar(node: Scalar): boolean {
  return node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED;
}

function flowStart(item: unknown): number {
  return isPair(item) ? startOf(item.key) : startOf(item);
}

function flowEnd(item: unknown, splicer: SourceText): number {
  if (isPair(item)) return splicer.contentEnd(item.value) ?? (item.key as Node).range![1];
  return splicer.contentEnd(item) ?? startOf(item);
}
