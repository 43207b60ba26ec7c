import { ArgsType, Field } from '@nestjs/graphql';
import type { UsageGranularity } from '@synapse/gateway/persistence';
import type { UsageGroupBy } from '@synapse/gateway/usage';
import { UsageGranularityEnum, UsageGroupByEnum } from '../models/usage-enums';
import { UsageFilterInput } from './usage-filter.input';
import { UsageRangeInput } from './usage-range.input';

@ArgsType()
export class UsageSeriesArgs {
  @Field(() => UsageRangeInput)
  range!: UsageRangeInput;

  @Field(() => UsageGranularityEnum, { description: 'At most 1500 buckets in the range.' })
  granularity!: UsageGranularity;

  @Field(() => UsageGroupByEnum, { defaultValue: 'none' })
  groupBy!: UsageGroupBy;

  @Field(() => UsageFilterInput, { nullable: true })
  filter?: UsageFilterInput | null;
}
