import { Field, ID, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';
import { KeyLimits } from '../../limits/limits.model';

@ObjectType({
  description: 'A key that callers present on /v1. Its secret is never shown again after creation or rotation.',
})
export class GatewayKey {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'The first characters of the secret, to recognise it.' })
  prefix!: string;

  @Field(() => [String], { description: "Model names or patterns ('gpt-4o*', '*') the key may use." })
  models!: string[];

  @Field(() => [String], { nullable: true, description: 'Endpoints the key may call; null: all.' })
  endpoints!: string[] | null;

  @Field(() => [String], { nullable: true, description: 'CIDR blocks the caller must come from; null: any address.' })
  ipAllow!: string[] | null;

  @Field(() => KeyLimits, { nullable: true, description: 'null: no caps.' })
  limits!: KeyLimits | null;

  @Field()
  enabled!: boolean;

  @Field({ description: 'Whether the request and response bodies of its calls are stored.' })
  captureBodies!: boolean;

  @Field(() => DateTimeScalar, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'Set when the key was revoked: it works nowhere since.',
  })
  revokedAt!: Date | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'Until then the secret before the last rotation still works.',
  })
  previousValidUntil!: Date | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The owner; null for keys owned by nobody (config file, operators).',
  })
  userId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The owning team, if a team owns the key.' })
  teamId!: string | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;
}
