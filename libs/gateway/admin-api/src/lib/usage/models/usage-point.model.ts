import { Field, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';
import { UsageStatsFields } from './usage-stats.fields';

@ObjectType({ description: 'Usage of one bucket (and group); buckets without traffic are left out.' })
export class UsagePoint extends UsageStatsFields {
  @Field(() => DateTimeScalar)
  bucketStart!: Date;

  @Field(() => String, {
    nullable: true,
    description: 'The key, user, team or channel id, or the model; null: not grouped.',
  })
  group!: string | null;
}
