import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A proxied call, as its request log entry is recorded.' })
export class RequestLogTailEntry {
  @Field(() => ID, { description: 'The x-request-id the caller got.' })
  id!: string;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field({ description: 'chat.completions, completions or embeddings.' })
  endpoint!: string;

  @Field(() => ID, { nullable: true })
  keyId!: string | null;

  @Field(() => ID, { nullable: true })
  userId!: string | null;

  @Field(() => ID, { nullable: true })
  teamId!: string | null;

  @Field(() => String, { nullable: true })
  requestedModel!: string | null;

  @Field(() => String, { nullable: true })
  routeName!: string | null;

  @Field(() => ID, { nullable: true })
  channelId!: string | null;

  @Field(() => String, { nullable: true })
  upstreamModel!: string | null;

  @Field(() => Int, { nullable: true })
  attempts!: number | null;

  @Field()
  stream!: boolean;

  @Field(() => Int)
  status!: number;

  @Field(() => Int)
  latencyMs!: number;

  @Field(() => Int, { nullable: true })
  ttftMs!: number | null;

  @Field(() => Int, { nullable: true })
  promptTokens!: number | null;

  @Field(() => Int, { nullable: true })
  completionTokens!: number | null;

  @Field(() => Int, { nullable: true })
  totalTokens!: number | null;

  @Field(() => Float, { nullable: true })
  costUsd!: number | null;

  @Field(() => String, { nullable: true })
  errorClass!: string | null;
}
