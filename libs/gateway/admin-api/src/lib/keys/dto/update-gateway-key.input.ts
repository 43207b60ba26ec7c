import { Field, ID, InputType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';
import { KeyLimitsInput } from '../../limits/limits.model';

@InputType({ description: 'Changes to a gateway key; fields left out stay as they are.' })
export class UpdateGatewayKeyInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => [String], { nullable: true })
  models?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'null: every endpoint.' })
  endpoints?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'null: any address.' })
  ipAllow?: string[] | null;

  @Field(() => KeyLimitsInput, { nullable: true, description: 'null: no caps.' })
  limits?: KeyLimitsInput | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'null: never expires.' })
  expiresAt?: Date | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Gives the key to this user (and takes it from its team); null: to nobody.',
  })
  userId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Gives the key to this team (and takes it from its user); null: to nobody.',
  })
  teamId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Store the request and response bodies of its calls.' })
  captureBodies?: boolean | null;
}
