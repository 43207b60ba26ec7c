import { ArgsType, Field, Int } from '@nestjs/graphql';
import type { UsageGroupBy, UsageMetric } from '@synapse/gateway/usage';
import { UsageGroupByEnum, UsageMetricEnum } from '../models/usage-enums';
import { UsageFilterInput } from './usage-filter.input';
import { UsageRangeInput } from './usage-range.input';

@ArgsType()
export class UsageTopArgs {
  @Field(() => UsageRangeInput)
  range!: UsageRangeInput;

  @Field(() => UsageGroupByEnum, { description: 'KEY, USER, TEAM, CHANNEL or MODEL.' })
  by!: UsageGroupBy;

  @Field(() => UsageMetricEnum, { defaultValue: 'requests' })
  metric!: UsageMetric;

  @Field(() => Int, { defaultValue: 10, description: '1-100.' })
  limit!: number;

  @Field(() => UsageFilterInput, { nullable: true })
  filter?: UsageFilterInput | null;
}
