import { Field, ID, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';
import { JSONObject } from '../../graphql/json-object.scalar';

@ObjectType({ description: 'Who did or tried what, from where, and how it ended. Secrets are never recorded.' })
export class AuditEvent {
  @Field(() => ID)
  id!: string;

  @Field(() => DateTimeScalar)
  at!: Date;

  @Field(() => ID, { nullable: true })
  actorId!: string | null;

  @Field(() => String, { nullable: true })
  actorEmail!: string | null;

  @Field(() => String, { nullable: true })
  ip!: string | null;

  @Field({ description: '`Mutation.createGatewayKey`, `Query.users`, `auth.login`, ...' })
  action!: string;

  @Field(() => String, { nullable: true })
  subject!: string | null;

  @Field(() => String, { nullable: true })
  subjectId!: string | null;

  @Field({ description: 'succeeded, failed or denied.' })
  outcome!: string;

  @Field(() => String, { nullable: true })
  detail!: string | null;

  @Field(() => JSONObject, { nullable: true, description: 'The input of a change, secrets redacted.' })
  changes!: Record<string, unknown> | null;

  @Field(() => String, { nullable: true })
  requestId!: string | null;
}
