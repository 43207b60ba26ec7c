import { Field, InputType } from '@nestjs/graphql';
import { KeyLimitsInput } from '../../limits/limits.model';

@InputType({ description: 'What to change on an account; left-out fields stay as they are.' })
export class UpdateUserInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  role?: string | null;

  @Field(() => KeyLimitsInput, {
    nullable: true,
    description: "Caps on all the user's keys together, counted at once by the proxy; null: none.",
  })
  limits?: KeyLimitsInput | null;
}
