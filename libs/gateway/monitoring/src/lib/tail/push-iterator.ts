/**
 * An async iterator fed by pushes (GraphQL subscriptions read one). It holds at most `capacity`
 * undelivered items and drops the oldest past that, so that a slow subscriber costs bounded memory.
 */
export class PushIterator<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private done = false;
  dropped = 0;

  constructor(
    private readonly capacity: number,
    private readonly onClose: () => void,
  ) {}

  push(item: T): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: item, done: false });
      return;
    }
    this.buffer.push(item);
    if (this.buffer.length > this.capacity) {
      this.buffer.shift();
      this.dropped++;
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.buffer.length > 0) return Promise.resolve({ value: this.buffer.shift() as T, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    this.close();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  /** Ends the iteration: a pending `next` resolves done, and the source is told. */
  close(): void {
    if (this.done) return;
    this.done = true;
    this.buffer.length = 0;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
    this.onClose();
  }
}
