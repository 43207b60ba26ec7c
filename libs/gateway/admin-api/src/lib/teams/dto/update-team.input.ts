import { Field, InputType } from '@nestjs/graphql';
import { KeyLimitsInput } from '../../limits/limits.model';

@InputType({ description: 'What to change on a team; left-out fields stay as they are (null limits: none).' })
export class UpdateTeamInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => KeyLimitsInput, { nullable: true })
  limits?: KeyLimitsInput | null;
}
