import { registerEnumType } from '@nestjs/graphql';
import type { UsageGranularity } from '@synapse/gateway/persistence';
import type { UsageGroupBy, UsageMetric } from '@synapse/gateway/usage';

/** GraphQL names (upper case) of the usage library's values; the compiler checks each list is complete. */
export const UsageGranularityEnum = {
  MINUTE: 'minute',
  HOUR: 'hour',
  DAY: 'day',
} as const satisfies { [G in UsageGranularity as Uppercase<G>]: G };

export const UsageGroupByEnum = {
  NONE: 'none',
  KEY: 'key',
  USER: 'user',
  TEAM: 'team',
  CHANNEL: 'channel',
  MODEL: 'model',
} as const satisfies { [G in UsageGroupBy as Uppercase<G>]: G };

export const UsageMetricEnum = {
  REQUESTS: 'requests',
  COST: 'cost',
  TOKENS: 'tokens',
  ERRORS: 'errors',
} as const satisfies { [M in UsageMetric as Uppercase<M>]: M };

registerEnumType(UsageGranularityEnum, { name: 'UsageGranularity', description: 'UTC minutes, hours or days.' });
registerEnumType(UsageGroupByEnum, {
  name: 'UsageGroupBy',
  description: 'What sums are split by. A dimension filter allows grouping by NONE, MODEL or that dimension.',
});
registerEnumType(UsageMetricEnum, { name: 'UsageMetric', description: 'TOKENS: prompt plus completion tokens.' });
