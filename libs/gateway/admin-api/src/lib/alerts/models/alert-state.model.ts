import { Field, Float, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
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

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Since when the condition holds (pending, firing).' })
  since!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  firedAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  resolvedAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  lastNotifiedAt!: Date | null;

  @Field(() => Float, { nullable: true })
  value!: number | null;

  @Field(() => String, { nullable: true })
  summary!: string | null;

  @Field(() => GraphQLISODateTime)
  evaluatedAt!: Date;
}
