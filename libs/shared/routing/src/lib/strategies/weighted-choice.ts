/**
 * One item, with probability proportional to `weightOf(item)`; items weighing 0 are never chosen.
 * undefined when nothing weighs anything. The only weighted draw in the library.
 */
export function weightedChoice<T>(
  items: readonly T[],
  weightOf: (item: T) => number,
  random: () => number,
): T | undefined {
  let total = 0;
  for (let i = 0; i < items.length; i++) total += weightOf(items[i]);
  if (!(total > 0)) return undefined;
  let remaining = random() * total;
  let last: T | undefined;
  for (let i = 0; i < items.length; i++) {
    const weight = weightOf(items[i]);
    if (weight <= 0) continue;
    last = items[i];
    remaining -= weight;
    if (remaining < 0) return last;
  }
  // Floating-point rounding can leave a sliver past the last item: it belongs to that item.
  return last;
}
