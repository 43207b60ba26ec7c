import { Field, Float, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: "Caps on a key's traffic; a field left null is not capped." })
export class KeyLimits {
  @Field(() => Int, { nullable: true, description: 'Requests per minute.' })
  rpm!: number | null;

  @Field(() => Int, { nullable: true, description: 'Tokens per minute (checked with an estimate, charged after).' })
  tpm!: number | null;

  @Field(() => Int, { nullable: true, description: 'Requests in flight at once.' })
  concurrency!: number | null;

  @Field(() => Float, { nullable: true, description: 'USD per UTC day, at the configured model prices.' })
  dailyBudgetUsd!: number | null;

  @Field(() => Float, { nullable: true, description: 'USD per UTC calendar month, at the configured model prices.' })
  monthlyBudgetUsd!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Output tokens one call may ask for, per choice; a call that asks for none is given this.',
  })
  maxTokensPerCall!: number | null;

  @Field(() => Int, { nullable: true, description: 'Choices one call may ask for (`n`, `best_of`).' })
  maxChoicesPerCall!: number | null;
}

@InputType({ description: "Caps on a key's traffic; leave a field out for no cap." })
export class KeyLimitsInput {
  @Field(() => Int, { nullable: true })
  rpm?: number | null;

  @Field(() => Int, { nullable: true })
  tpm?: number | null;

  @Field(() => Int, { nullable: true })
  concurrency?: number | null;

  @Field(() => Float, { nullable: true, description: 'USD per UTC day; a positive number.' })
  dailyBudgetUsd?: number | null;

  @Field(() => Float, { nullable: true, description: 'USD per UTC calendar month; a positive number.' })
  monthlyBudgetUsd?: number | null;

  @Field(() => Int, { nullable: true })
  maxTokensPerCall?: number | null;

  @Field(() => Int, { nullable: true })
  maxChoicesPerCall?: number | null;
}
