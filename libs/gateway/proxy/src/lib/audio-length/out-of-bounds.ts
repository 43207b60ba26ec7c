/**
 * A read past the end of the file (Buffer's ERR_OUT_OF_RANGE, or the parsers' own): a header
 * that points past it, or a file cut short. Known by its name, not `instanceof`: Buffer's
 * errors come from Node's own realm, which is not the caller's under a test runner's sandbox.
 */
export function outOfBounds(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'RangeError';
}
