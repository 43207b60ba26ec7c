import { Field, InputType } from '@nestjs/graphql';
import { KeyLimitsInput } from '../../limits/limits.model';

@InputType({ description: 'A new account.' })
export class CreateUserInput {
  @Field()
  email!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field({ description: 'A built-in or custom role; you may only give what your own role holds.' })
  role!: string;

  @Field(() => String, {
    nullable: true,
    description: 'At least 12 characters. Left out: the account signs in only through single sign-on.',
  })
  password?: string | null;

  @Field(() => KeyLimitsInput, { nullable: true, description: "Caps on all the user's keys together." })
  limits?: KeyLimitsInput | null;
}
