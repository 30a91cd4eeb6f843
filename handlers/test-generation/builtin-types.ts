/**
 * The built-in types the candidate pools make values of by name (see
 * explore/pools.ts): how a type named in a library's `.d.ts` is written.
 */

/**
 * The text for the library type `name`, given its type arguments' text;
 * undefined when no value of it can be written, null when it is no built-in
 * pools knows.
 */
export function builtinText(name: string, arg: (index: number) => string): string | undefined | null {
  switch (name) {
    case 'Date':
    case 'RegExp':
    case 'URL':
    case 'URLSearchParams':
    case 'Uint8Array':
    case 'Buffer':
    case 'ArrayBuffer':
    case 'AbortSignal':
      return name;
    case 'Error':
    case 'TypeError':
    case 'RangeError':
      return 'Error';
    case 'String':
      return 'string';
    case 'Number':
      return 'number';
    case 'Boolean':
      return 'boolean';
    case 'Object':
      return 'object';
    case 'Function':
      return '() => unknown';
    case 'Map':
    case 'ReadonlyMap':
      return `Map<${arg(0)}, ${arg(1)}>`;
    case 'Set':
    case 'ReadonlySet':
      return `Set<${arg(0)}>`;
    case 'Promise':
    case 'PromiseLike':
      return `Promise<${arg(0)}>`;
    case 'Iterable':
    case 'IterableIterator':
    case 'ArrayLike': {
      const element = arg(0);
      return element === 'unknown' ? undefined : `${wrap(element)}[]`;
    }
    case 'WeakMap':
    case 'WeakSet':
    case 'Generator':
    case 'AsyncIterable':
    case 'AsyncGenerator':
      return undefined;
    default:
      return null;
  }
}

/** Parenthesise a function type or union where it sits inside another type. */
export function wrap(text: string): string {
  return /=>|\|/.test(text) && !wrapped(text) ? `(${text})` : text;
}

/** Whether the whole text is one parenthesised group (`(a | b)`, not `(a) => b`). */
export function wrapped(text: string): boolean {
  if (!text.startsWith('(')) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i === text.length - 1;
  }
  return false;
}
