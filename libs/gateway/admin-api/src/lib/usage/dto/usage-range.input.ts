import { Field, GraphQLISODateTime, InputType } from '@nestjs/graphql';

@InputType({ description: '[from, to): a bucket counts when it starts before `to`.' })
export class UsageRangeInput {
  @Field(() => GraphQLISODateTime)
  from!: Date;

  @Field(() => GraphQLISODateTime)
  to!: Date;
}
