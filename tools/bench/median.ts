/** The middle value (the upper one of an even count): what the benchmark's alternating rounds are judged on. */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}
