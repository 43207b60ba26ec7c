import { Field, GraphQLISODateTime, InputType } from '@nestjs/graphql';
import { KeyLimitsInput } from '../models/key-limits.model';

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

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'null: never expires.' })
  expiresAt?: Date | null;
}
