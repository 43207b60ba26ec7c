import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';

@ObjectType('NotificationDelivery', {
  description: 'One attempt to tell a notification channel, with what the receiver answered.',
})
export class NotificationDeliveryView {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true, description: 'null for a test notification.' })
  alertEventId!: string | null;

  @Field(() => ID, { nullable: true })
  ruleId!: string | null;

  @Field(() => ID)
  channelId!: string;

  @Field(() => DateTimeScalar)
  at!: Date;

  @Field()
  ok!: boolean;

  @Field(() => Int, { description: 'HTTP attempts made (retries on 5xx and network errors).' })
  attempts!: number;

  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status, or the SMTP reply code." })
  statusCode!: number | null;

  @Field(() => String, { nullable: true, description: "The first 500 bytes of the receiver's answer." })
  response!: string | null;

  @Field(() => String, { nullable: true })
  error!: string | null;
}
