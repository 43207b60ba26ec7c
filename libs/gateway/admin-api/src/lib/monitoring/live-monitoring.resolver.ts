import { Args, Query, Resolver, Subscription } from '@nestjs/graphql';
import { Authorize, CurrentAbility, CurrentUser, type AuthenticatedUser } from '@synapse/gateway/auth';
import { Action, type AppAbility } from '@synapse/rbac';
import { LiveMetricsArgs } from './dto/live-metrics.args';
import { RequestLogTailFilter } from './dto/request-log-tail-filter.input';
import { LiveMonitoringService } from './live-monitoring.service';
import { LiveMetrics } from './models/live-metrics.model';
import { RequestLogRow } from '../request-logs/models/request-log.model';

/** The iterators push the values themselves. */
const asIs = <T>(value: T): T => value;

@Resolver()
export class LiveMonitoringResolver {
  constructor(private readonly monitoring: LiveMonitoringService) {}

  @Query(() => LiveMetrics, {
    description:
      'Requests, errors, latency, time to first token, tokens/s and calls in flight per group, over all replicas.',
  })
  @Authorize(Action.Read, 'Usage')
  liveMetrics(
    @Args() { window, groupBy }: LiveMetricsArgs,
    @CurrentAbility() ability: AppAbility,
  ): Promise<LiveMetrics> {
    return this.monitoring.liveMetrics(window, groupBy, ability);
  }

  @Subscription(() => LiveMetrics, {
    name: 'liveMetrics',
    resolve: asIs,
    description: 'liveMetrics at once, then every LIVE_METRICS_PUSH_INTERVAL_MS (5 s).',
  })
  @Authorize(Action.Read, 'Usage')
  liveMetricsStream(
    @Args() { window, groupBy }: LiveMetricsArgs,
    @CurrentAbility() ability: AppAbility,
    @CurrentUser() user: AuthenticatedUser,
  ): AsyncIterableIterator<LiveMetrics> {
    return this.monitoring.liveMetricsStream(window, groupBy, ability, user);
  }

  @Subscription(() => RequestLogRow, {
    resolve: asIs,
    description:
      'Request log entries as calls finish (on every replica, with Redis), those the role may read and the filter matches.',
  })
  @Authorize(Action.Read, 'RequestLog')
  requestLogTail(
    @Args('filter', { type: () => RequestLogTailFilter, nullable: true }) filter: RequestLogTailFilter | null,
    @CurrentAbility() ability: AppAbility,
    @CurrentUser() user: AuthenticatedUser,
  ): AsyncIterableIterator<RequestLogRow> {
    return this.monitoring.requestLogTail(filter, ability, user);
  }
}
