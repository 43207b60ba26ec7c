import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';

@ArgsType()
export class AuditFilterArgs {
  @Field(() => ID, { nullable: true })
  actorId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "An action, or a prefix ending in '*' ('Mutation.*', 'auth.*').",
  })
  action?: string | null;

  @Field(() => String, { nullable: true, description: 'succeeded, failed or denied.' })
  outcome?: string | null;

  @Field(() => String, { nullable: true })
  subject?: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  since?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  until?: Date | null;

  @Field(() => Int, { defaultValue: 100, description: '1-1000, newest first.' })
  limit!: number;
}
