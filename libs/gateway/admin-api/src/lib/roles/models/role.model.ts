import { Field, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';
import { JSONObject } from '../../graphql/json-object.scalar';

@ObjectType({ description: 'One permission: actions on subjects, optionally only on matching records or fields.' })
export class PermissionRule {
  @Field(() => [String], { description: 'manage (every action), create, read, update, delete.' })
  action!: string[];

  @Field(() => [String], {
    description: 'User, Role, Team, Channel, Route, RoutingTarget, GatewayKey, RequestLog, Usage, AuditEvent, or all.',
  })
  subject!: string[];

  @Field(() => JSONObject, {
    nullable: true,
    description: 'MongoDB-style conditions; "${user.id}" and "${user.teamIds}" are replaced.',
  })
  conditions?: Record<string, unknown> | null;

  @Field(() => [String], { nullable: true })
  fields?: string[] | null;

  @Field({ defaultValue: false, description: 'Forbids instead of allowing; a later rule wins over an earlier one.' })
  inverted!: boolean;

  @Field(() => String, { nullable: true })
  reason?: string | null;
}

@ObjectType({ description: 'A role: built in (read only) or custom (created and changed at run time by owners).' })
export class Role {
  @Field()
  name!: string;

  @Field()
  description!: string;

  @Field()
  builtIn!: boolean;

  @Field(() => [PermissionRule])
  rules!: PermissionRule[];

  @Field(() => DateTimeScalar, { nullable: true })
  updatedAt!: Date | null;
}
