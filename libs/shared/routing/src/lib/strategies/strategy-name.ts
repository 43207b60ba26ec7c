export const STRATEGY_NAMES = ['round-robin', 'random', 'weighted', 'least-latency', 'least-busy', 'priority'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export function isStrategyName(value: unknown): value is StrategyName {
  return (STRATEGY_NAMES as readonly unknown[]).includes(value);
}
