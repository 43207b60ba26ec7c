import { registerEnumType } from '@nestjs/graphql';
import type { LiveDimension } from '@synapse/metrics';

/** GraphQL names of what live metrics are grouped by. */
export const LiveMetricsGroupBy = {
  MODEL: 'model',
  CHANNEL: 'channel',
  ROUTE: 'route',
  KEY: 'key',
  USER: 'user',
  TEAM: 'team',
} as const satisfies Record<Uppercase<LiveDimension>, LiveDimension>;

registerEnumType(LiveMetricsGroupBy, {
  name: 'LiveMetricsGroupBy',
  description:
    'MODEL: the model name callers asked for; CHANNEL: channel id; ROUTE: route name; KEY: gateway key id; USER: user id; TEAM: team id (of the key). A call without a value (no team) is in no group.',
});
