/**
 * Whether a parsed JSON value nests arrays and objects deeper than `max`, walked without recursion
 * and no further than `max + 1` levels. JSON.parse takes nesting that every recursive walk of the
 * value (validation, JSON.stringify for the store) then overflows the stack on.
 */
export function valueNestsDeeperThan(value: unknown, max: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (item.value === null || typeof item.value !== 'object') continue;
    const depth = item.depth + 1;
    if (depth > max) return true;
    for (const child of Object.values(item.value)) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth });
    }
  }
  return false;
}
