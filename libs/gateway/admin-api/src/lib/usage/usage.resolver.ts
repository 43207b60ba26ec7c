import { Args, Query, Resolver } from '@nestjs/graphql';
import { Authorize, CurrentAbility, CurrentUser, type AuthenticatedUser } from '@synapse/gateway/auth';
import { Action, type AppAbility } from '@synapse/rbac';
import { UsageSeriesArgs } from './dto/usage-series.args';
import { UsageTopArgs } from './dto/usage-top.args';
import { UsagePoint } from './models/usage-point.model';
import { UsageTopEntry } from './models/usage-top-entry.model';
import { UsageReportsService } from './usage-reports.service';

@Resolver()
export class UsageResolver {
  constructor(private readonly reports: UsageReportsService) {}

  @Query(() => [UsagePoint], {
    description: 'Usage per bucket from the rollups, oldest first (members: their own traffic). docs/usage-and-cost.md',
  })
  @Authorize(Action.Read, 'Usage')
  usageSeries(
    @Args() args: UsageSeriesArgs,
    @CurrentAbility() ability: AppAbility,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<UsagePoint[]> {
    return this.reports.series(ability, user, {
      range: args.range,
      granularity: args.granularity,
      groupBy: args.groupBy,
      filter: args.filter ?? {},
    });
  }

  @Query(() => [UsageTopEntry], {
    description: 'The keys, users, teams, channels or models with the most of a metric.',
  })
  @Authorize(Action.Read, 'Usage')
  usageTop(
    @Args() args: UsageTopArgs,
    @CurrentAbility() ability: AppAbility,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<UsageTopEntry[]> {
    return this.reports.top(ability, user, {
      range: args.range,
      by: args.by,
      metric: args.metric,
      limit: args.limit,
      filter: args.filter ?? {},
    });
  }
}
