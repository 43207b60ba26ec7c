import { Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import type { AlertKindName } from '@synapse/gateway/config';
import { AlertKindEnum, BudgetPeriodEnum } from '../models/alert-enums';
import { AlertScopeInput } from '../models/alert-scope.model';

@InputType({ description: 'A new alert rule, checked like one in the config file (docs/alerts.md).' })
export class CreateAlertRuleInput {
  @Field({ description: '1-64 letters, digits, dots, dashes or underscores; unique.' })
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Boolean, { defaultValue: true })
  enabled?: boolean;

  @Field(() => AlertKindEnum)
  kind!: AlertKindName;

  @Field(() => AlertScopeInput, { nullable: true, description: 'Left out: all traffic.' })
  scope?: AlertScopeInput | null;

  @Field(() => Int, { defaultValue: 300, description: '10 s to 31 days.' })
  windowSeconds?: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Percent or milliseconds, by kind; required except for CHANNEL_HEALTH and NO_TRAFFIC.',
  })
  threshold?: number | null;

  @Field(() => Float, { nullable: true, description: 'LATENCY and TTFT only; default 95.' })
  percentile?: number | null;

  @Field(() => BudgetPeriodEnum, { nullable: true, description: 'BUDGET only; default DAY.' })
  budgetPeriod?: 'day' | 'month' | null;

  @Field(() => Int, { defaultValue: 1 })
  minRequests?: number;

  @Field(() => Int, { defaultValue: 0 })
  forSeconds?: number;

  @Field(() => Int, { defaultValue: 14_400, description: '0: never repeat.' })
  repeatIntervalSeconds?: number;

  @Field(() => [ID], { defaultValue: [] })
  notificationChannelIds?: string[];
}
