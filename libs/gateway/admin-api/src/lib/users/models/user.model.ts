import { Field, ID, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';
import { KeyLimits } from '../../limits/limits.model';

@ObjectType({ description: 'An operator account. Never carries the password hash.' })
export class User {
  @Field(() => ID)
  id!: string;

  @Field()
  email!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field({ description: 'A built-in role (owner, admin, operator, auditor, member) or a custom role.' })
  role!: string;

  @Field({ description: 'Whether the account can sign in with a password (false: single sign-on only).' })
  hasPassword!: boolean;

  @Field(() => [ID], { description: 'The teams the user belongs to.' })
  teamIds!: string[];

  @Field(() => KeyLimits, { nullable: true, description: "Caps on all the user's keys together; null: none." })
  limits!: KeyLimits | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;
}
