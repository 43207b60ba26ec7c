import { Field, Float, ID, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';
import type { AlertEventType } from '@synapse/gateway/persistence';
import { AlertEventTypeEnum } from './alert-enums';

@ObjectType('AlertEvent', { description: "One step of a rule's history; FIRING, REPEAT and RESOLVED were notified." })
export class AlertEventView {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  ruleId!: string;

  @Field({ description: "The rule's name then (kept after the rule is deleted)." })
  ruleName!: string;

  @Field(() => AlertEventTypeEnum)
  type!: AlertEventType;

  @Field(() => DateTimeScalar)
  at!: Date;

  @Field(() => Float, { nullable: true })
  value!: number | null;

  @Field(() => String, { nullable: true })
  summary!: string | null;
}
