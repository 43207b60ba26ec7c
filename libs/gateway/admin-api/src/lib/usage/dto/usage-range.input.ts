import { Field, InputType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';

@InputType({ description: 'A series counts the bucket that holds `from` and every bucket that starts before `to`.' })
export class UsageRangeInput {
  @Field(() => DateTimeScalar)
  from!: Date;

  @Field(() => DateTimeScalar)
  to!: Date;
}
