import { Field, GraphQLISODateTime, InputType } from '@nestjs/graphql';

@InputType({ description: 'A series counts the bucket that holds `from` and every bucket that starts before `to`.' })
export class UsageRangeInput {
  @Field(() => GraphQLISODateTime)
  from!: Date;

  @Field(() => GraphQLISODateTime)
  to!: Date;
}
