import { Field, ID, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';
import { KeyLimits } from '../../limits/limits.model';

@ObjectType({ description: 'A member of a team.' })
export class TeamMember {
  @Field(() => ID)
  id!: string;

  @Field()
  email!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;
}

@ObjectType({ description: 'A group of users; gateway keys may belong to a team.' })
export class Team {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => KeyLimits, { nullable: true, description: 'Caps on all the team keys together; null: none.' })
  limits!: KeyLimits | null;

  @Field(() => [TeamMember])
  members!: TeamMember[];

  @Field(() => DateTimeScalar)
  createdAt!: Date;
}
