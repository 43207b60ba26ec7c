import { ITEMS_PER_TURN, mapInTurns } from './event-loop-turns';

describe('mapInTurns', () => {
  it('maps every item in order and lets the event loop run between slices', async () => {
    const items = Array.from({ length: ITEMS_PER_TURN * 3 + 7 }, (_, i) => i);
    const seenAt: number[] = [];
    let mapped = 0;
    // An immediate scheduled now runs while the map is still going, once per slice boundary.
    const tick = () => {
      seenAt.push(mapped);
      if (mapped < items.length) setImmediate(tick);
    };
    setImmediate(tick);
    const result = await mapInTurns(items, (i) => {
      mapped++;
      return i * 2;
    });
    expect(result).toEqual(items.map((i) => i * 2));
    expect(seenAt.slice(0, 3)).toEqual([ITEMS_PER_TURN, ITEMS_PER_TURN * 2, ITEMS_PER_TURN * 3]);
  });

  it('takes no turn for a short list', async () => {
    let ticked = false;
    setImmediate(() => (ticked = true));
    await mapInTurns([1, 2, 3], (i) => i);
    expect(ticked).toBe(false);
  });
});
