import { Field, ID, InputType } from '@nestjs/graphql';

@InputType({ description: 'Which entries the tail sends; every field given must match.' })
export class RequestLogTailFilter {
  @Field(() => String, { nullable: true, description: 'The model name callers asked for.' })
  model?: string | null;

  @Field(() => ID, { nullable: true })
  channelId?: string | null;

  @Field(() => String, { nullable: true })
  routeName?: string | null;

  @Field(() => String, { nullable: true, description: 'The API called (chat.completions, audio.transcriptions, …).' })
  endpoint?: string | null;

  @Field(() => ID, { nullable: true })
  keyId?: string | null;

  @Field(() => ID, { nullable: true })
  userId?: string | null;

  @Field(() => ID, { nullable: true })
  teamId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Only errors (status 400 or above, 499 excluded).' })
  errorsOnly?: boolean | null;
}
