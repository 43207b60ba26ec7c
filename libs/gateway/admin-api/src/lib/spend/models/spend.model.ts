import { Field, Float, ObjectType } from '@nestjs/graphql';

export const SPEND_DESCRIPTION =
  'Spend at the configured model prices in this UTC day and month, from the limit counters the proxy checks. ' +
  'Counted only while a daily or monthly budget is set: null without one (a budget added later starts from ' +
  'what the request log held at the last start, or from zero).';

@ObjectType({ description: "Spend counted against a key's, a user's or a team's budgets." })
export class Spend {
  @Field(() => Float, { description: 'USD spent in the current UTC day.' })
  todayUsd!: number;

  @Field(() => Float, { description: 'USD spent in the current UTC calendar month.' })
  monthUsd!: number;
}
