import { Field, InputType, ObjectType } from '@nestjs/graphql';
import type { AlertScopeKindName } from '@synapse/gateway/config';
import { AlertScopeKindEnum } from './alert-enums';

@ObjectType({ description: 'What part of the traffic a rule watches.' })
export class AlertScope {
  @Field(() => AlertScopeKindEnum)
  kind!: AlertScopeKindName;

  @Field(() => String, {
    nullable: true,
    description: 'A model or route name, or a channel, key or team id; null for ALL.',
  })
  value!: string | null;
}

@InputType({ description: 'ALL without a value; MODEL and ROUTE by name; CHANNEL, KEY and TEAM by id.' })
export class AlertScopeInput {
  @Field(() => AlertScopeKindEnum)
  kind!: AlertScopeKindName;

  @Field(() => String, { nullable: true })
  value?: string | null;
}
