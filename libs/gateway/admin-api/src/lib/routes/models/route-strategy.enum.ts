import { registerEnumType } from '@nestjs/graphql';
import type { StrategyName } from '@synapse/routing';

type ScreamingSnake<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Uppercase<Head>}_${ScreamingSnake<Tail>}`
  : Uppercase<S>;

/** GraphQL names of the routing strategies (`round-robin` is ROUND_ROBIN); the compiler checks the list is complete. */
export const RouteStrategyEnum = {
  ROUND_ROBIN: 'round-robin',
  RANDOM: 'random',
  WEIGHTED: 'weighted',
  LEAST_LATENCY: 'least-latency',
  LEAST_BUSY: 'least-busy',
  PRIORITY: 'priority',
} as const satisfies { [S in StrategyName as ScreamingSnake<S>]: S };

registerEnumType(RouteStrategyEnum, {
  name: 'RouteStrategy',
  description:
    'How a route picks among its targets. PRIORITY: higher priority first, by weight within a tier; WEIGHTED: by weight.',
});
