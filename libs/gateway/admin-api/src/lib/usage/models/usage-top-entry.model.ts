import { Field, ObjectType } from '@nestjs/graphql';
import { UsageStatsFields } from './usage-stats.fields';

@ObjectType({ description: 'Usage of one key, user, team, channel or model over the whole range.' })
export class UsageTopEntry extends UsageStatsFields {
  @Field({ description: "The id, or the model ('' for calls that named none)." })
  group!: string;
}
