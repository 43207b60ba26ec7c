import { RequestLogRowRefused } from '@synapse/gateway/persistence';

/** What became of a batch: the items to keep for the next attempt, and the ones the store refused. */
export interface BatchWritten<T> {
  /** Not written because the store failed (from its first failure on), with that failure. */
  unwritten: T[];
  error?: unknown;
  /** Refused by the store for what they hold, as `<id>: <reason>`: sending them again could never succeed. */
  dropped: string[];
}

/**
 * Writes a batch. A batch the store refuses for what it holds (RequestLogRowRefused) is written
 * item by item and an item refused on its own is dropped: kept, it would hold back every item
 * after it for good.
 */
export async function writeDroppingRefused<T>(
  batch: T[],
  insertMany: (items: T[]) => Promise<void>,
  idOf: (item: T) => string,
): Promise<BatchWritten<T>> {
  try {
    await insertMany(batch);
    return { unwritten: [], dropped: [] };
  } catch (error) {
    if (!(error instanceof RequestLogRowRefused)) return { unwritten: batch, error, dropped: [] };
  }
  const dropped: string[] = [];
  for (let i = 0; i < batch.length; i++) {
    try {
      await insertMany([batch[i]]);
    } catch (error) {
      if (!(error instanceof RequestLogRowRefused)) return { unwritten: batch.slice(i), error, dropped };
      dropped.push(`${idOf(batch[i])}: ${error.message}`);
    }
  }
  return { unwritten: [], dropped };
}
