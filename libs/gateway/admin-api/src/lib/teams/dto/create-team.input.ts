import { Field, ID, InputType } from '@nestjs/graphql';
import { KeyLimitsInput } from '../../limits/limits.model';

@InputType()
export class CreateTeamInput {
  @Field({ description: '1-64 letters, digits, dots, dashes or underscores; unique.' })
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => KeyLimitsInput, { nullable: true })
  limits?: KeyLimitsInput | null;

  @Field(() => [ID], { nullable: true, description: 'Users to add at once.' })
  memberIds?: string[] | null;
}
