import { Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import type { AlertKindName } from '@synapse/gateway/config';
import { AlertKindEnum, BudgetPeriodEnum } from '../models/alert-enums';
import { AlertScopeInput } from '../models/alert-scope.model';

@InputType({
  description: 'Changes to an alert rule; fields left out stay (threshold, percentile and budgetPeriod: null clears).',
})
export class UpdateAlertRuleInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;

  @Field(() => AlertKindEnum, { nullable: true })
  kind?: AlertKindName | null;

  @Field(() => AlertScopeInput, { nullable: true })
  scope?: AlertScopeInput | null;

  @Field(() => Int, { nullable: true })
  windowSeconds?: number | null;

  @Field(() => Float, { nullable: true })
  threshold?: number | null;

  @Field(() => Float, { nullable: true })
  percentile?: number | null;

  @Field(() => BudgetPeriodEnum, { nullable: true })
  budgetPeriod?: 'day' | 'month' | null;

  @Field(() => Int, { nullable: true })
  minRequests?: number | null;

  @Field(() => Int, { nullable: true })
  forSeconds?: number | null;

  @Field(() => Int, { nullable: true })
  repeatIntervalSeconds?: number | null;

  @Field(() => [ID], { nullable: true })
  notificationChannelIds?: string[] | null;
}
