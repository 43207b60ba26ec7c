/**
 * Loads by key in batches: every `load` called in the same tick of the event loop is answered by
 * one call of `loadMany` (a DataLoader without the cache), so that a list of N rows that each
 * resolve a field costs one query, not N. Keys missing from the result load as null.
 */
export class TickBatcher<V> {
  private pending: { key: string; resolve: (value: V | null) => void; reject: (error: unknown) => void }[] = [];

  constructor(
    private readonly loadMany: (keys: readonly string[]) => Promise<V[]>,
    private readonly keyOf: (value: V) => string,
  ) {}

  load(key: string): Promise<V | null> {
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) process.nextTick(() => void this.dispatch());
      this.pending.push({ key, resolve, reject });
    });
  }

  private async dispatch(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      const found = new Map(
        (await this.loadMany([...new Set(batch.map((p) => p.key))])).map((v) => [this.keyOf(v), v]),
      );
      for (const waiting of batch) waiting.resolve(found.get(waiting.key) ?? null);
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }
}
