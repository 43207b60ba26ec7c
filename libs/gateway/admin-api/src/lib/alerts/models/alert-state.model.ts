import { Field, Float, ID, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';
import type { AlertStatus } from '@synapse/gateway/persistence';
import { AlertStatusEnum } from './alert-enums';

@ObjectType('AlertState', { description: "A rule's current state, as the last evaluation left it." })
export class AlertStateView {
  @Field(() => ID)
  ruleId!: string;

  @Field()
  ruleName!: string;

  @Field(() => AlertStatusEnum)
  status!: AlertStatus;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Since when the condition holds (pending, firing).' })
  since!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  firedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  resolvedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  lastNotifiedAt!: Date | null;

  @Field(() => Float, { nullable: true })
  value!: number | null;

  @Field(() => String, { nullable: true })
  summary!: string | null;

  @Field(() => DateTimeScalar)
  evaluatedAt!: Date;
}
