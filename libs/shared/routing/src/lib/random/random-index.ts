/** A uniformly chosen index in [0, count), for count >= 1. */
export function randomIndex(count: number, random: () => number): number {
  const index = Math.floor(random() * count);
  // Guards against a random source that returns exactly 1.
  return index < count ? index : count - 1;
}
