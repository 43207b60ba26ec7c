import { Field, ID, ObjectType } from '@nestjs/graphql';
import type { RoleName } from '@synapse/gateway/config';
import { RoleEnum } from './role.enum';

@ObjectType({ description: 'An operator account. Never carries the password hash.' })
export class User {
  @Field(() => ID)
  id!: string;

  @Field()
  email!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => RoleEnum)
  role!: RoleName;
}
