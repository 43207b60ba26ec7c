import { Field, ID, InputType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';
import { KeyLimitsInput } from '../../limits/limits.model';
import { ENDPOINTS } from '@synapse/endpoints';

@InputType({ description: 'A new gateway key, checked like a key in the config file.' })
export class CreateGatewayKeyInput {
  @Field({ description: '1-64 letters, digits, dots, dashes or underscores; unique.' })
  name!: string;

  @Field(() => [String], { defaultValue: ['*'], description: "Model names or patterns ('gpt-4o*', '*')." })
  models?: string[];

  @Field(() => [String], {
    nullable: true,
    description: `Endpoints the key may call (${ENDPOINTS.join(', ')}); null or left out: all.`,
  })
  endpoints?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: "CIDR blocks ('10.0.0.0/8', '2001:db8::/32') the caller must come from; null or left out: any.",
  })
  ipAllow?: string[] | null;

  @Field(() => KeyLimitsInput, {
    nullable: true,
    description: 'Requests/tokens per minute, requests in flight, USD budgets per day and month.',
  })
  limits?: KeyLimitsInput | null;

  @Field(() => Boolean, { defaultValue: true })
  enabled?: boolean;

  @Field(() => DateTimeScalar, { nullable: true, description: 'null or left out: never expires.' })
  expiresAt?: Date | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The owner. Members always own the keys they create; for others it defaults to nobody.',
  })
  userId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The owning team, instead of a user: its members can read the key.' })
  teamId?: string | null;

  @Field(() => Boolean, {
    defaultValue: false,
    description: 'Store the request and response bodies of its calls (redacted, capped); see docs/logs.md.',
  })
  captureBodies?: boolean;
}
