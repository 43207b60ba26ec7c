import { LeastBusyStrategy } from './least-busy.strategy';
import { LeastLatencyStrategy } from './least-latency.strategy';
import { PriorityStrategy } from './priority.strategy';
import { RandomStrategy } from './random.strategy';
import { RoundRobinStrategy } from './round-robin.strategy';
import type { StrategyName } from './strategy-name';
import type { TargetStrategy } from './target-strategy';
import { WeightedStrategy } from './weighted.strategy';

const factories = {
  'round-robin': () => new RoundRobinStrategy(),
  random: () => new RandomStrategy(),
  weighted: () => new WeightedStrategy(),
  'least-latency': () => new LeastLatencyStrategy(),
  'least-busy': () => new LeastBusyStrategy(),
  priority: () => new PriorityStrategy(),
} satisfies Record<StrategyName, () => TargetStrategy>;

/** A fresh instance: strategies such as round-robin keep per-route state. */
export function createStrategy(name: StrategyName): TargetStrategy {
  return factories[name]();
}
