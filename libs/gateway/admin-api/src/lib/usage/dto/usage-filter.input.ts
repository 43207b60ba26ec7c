import { Field, ID, InputType } from '@nestjs/graphql';

@InputType({ description: 'At most one of keyId, userId, teamId and channelId, optionally with a model.' })
export class UsageFilterInput {
  @Field(() => ID, { nullable: true })
  keyId?: string | null;

  @Field(() => ID, { nullable: true })
  userId?: string | null;

  @Field(() => ID, { nullable: true })
  teamId?: string | null;

  @Field(() => ID, { nullable: true })
  channelId?: string | null;

  @Field(() => String, { nullable: true, description: 'The model the caller asked for.' })
  model?: string | null;
}
