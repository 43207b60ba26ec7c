import { ArgsType, Field, ID, Int } from '@nestjs/graphql';

@ArgsType()
export class AlertEventsArgs {
  @Field(() => ID, { nullable: true, description: 'One rule; left out: every rule.' })
  ruleId?: string | null;

  @Field(() => Int, { defaultValue: 100, description: '1-1000, newest first.' })
  limit!: number;
}

@ArgsType()
export class NotificationDeliveriesArgs {
  @Field(() => ID, { nullable: true })
  ruleId?: string | null;

  @Field(() => ID, { nullable: true })
  alertEventId?: string | null;

  @Field(() => ID, { nullable: true, description: 'A notification channel.' })
  channelId?: string | null;

  @Field(() => Int, { defaultValue: 100, description: '1-1000, newest first.' })
  limit!: number;
}
