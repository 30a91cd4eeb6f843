/**
 * An async iterable fed by a producer: events are buffered until read, so a
 * reader that starts late misses none. One reader; it ends when the producer
 * ends, and throws the producer's error if it failed.
 */
export class EventStream<T> implements AsyncIterable<T> {
  readonly #buffer: T[] = [];
  #wake: (() => void) | undefined;
  #ended = false;
  #error: { error: unknown } | undefined;

  push(item: T): void {
    this.#buffer.push(item);
    this.#wake?.();
  }

  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  fail(error: unknown): void {
    this.#error = { error };
    this.end();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const next = this.#buffer.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.#ended) {
        if (this.#error) throw this.#error.error;
        return;
      }
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }
}
