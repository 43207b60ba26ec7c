/** Items handled between two turns of the event loop in long background work (~2-5 ms of it). */
export const ITEMS_PER_TURN = 500;

/**
 * Lets the event loop run what is waiting (the proxy's calls in flight) before the rest of a long
 * computation: the usage rollup's work for many keys is hundreds of milliseconds of JavaScript.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Calls `each` for every item in order, taking a turn of the event loop every `ITEMS_PER_TURN` items. */
export async function eachInTurns<T>(items: readonly T[], each: (item: T, index: number) => void): Promise<void> {
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % ITEMS_PER_TURN === 0) await nextTurn();
    each(items[i], i);
  }
}

/** `items.map(map)`, in turns (`eachInTurns`). */
export async function mapInTurns<T, R>(items: readonly T[], map: (item: T) => R): Promise<R[]> {
  const mapped: R[] = new Array(items.length);
  await eachInTurns(items, (item, i) => (mapped[i] = map(item)));
  return mapped;
}
