import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';
import type { AlertKindName } from '@synapse/gateway/config';
import { AlertKindEnum, BudgetPeriodEnum } from './alert-enums';
import { AlertScope } from './alert-scope.model';

@ObjectType({
  description: 'A condition on the traffic, evaluated every ALERT_EVALUATION_INTERVAL_MS (docs/alerts.md).',
})
export class AlertRule {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field()
  enabled!: boolean;

  @Field(() => AlertKindEnum)
  kind!: AlertKindName;

  @Field(() => AlertScope)
  scope!: AlertScope;

  @Field(() => Int, { description: 'The span of the request log each evaluation reads.' })
  windowSeconds!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Percent (ERROR_RATE, BUDGET, SPEND_CHANGE) or milliseconds (LATENCY, TTFT); null for the others.',
  })
  threshold!: number | null;

  @Field(() => Float, { nullable: true, description: 'For LATENCY and TTFT (default 95).' })
  percentile!: number | null;

  @Field(() => BudgetPeriodEnum, { nullable: true, description: 'For BUDGET (default DAY).' })
  budgetPeriod!: 'day' | 'month' | null;

  @Field(() => Int, { description: 'Fewer calls in the window: no verdict (ERROR_RATE, LATENCY, TTFT).' })
  minRequests!: number;

  @Field(() => Int, { description: 'How long the condition holds (pending) before the alert fires.' })
  forSeconds!: number;

  @Field(() => Int, { description: 'While firing, notify again after this long; 0: never.' })
  repeatIntervalSeconds!: number;

  @Field(() => [ID])
  notificationChannelIds!: string[];

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
}
