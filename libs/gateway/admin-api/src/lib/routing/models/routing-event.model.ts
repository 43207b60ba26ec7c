import { Field, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';
import type { TargetEventView } from '@synapse/gateway/proxy';
import type { TargetState } from '@synapse/routing';
import { TargetStateEnum } from './target-state.enum';

@ObjectType({ description: "A recorded change of a routing target's state." })
export class RoutingEvent implements TargetEventView {
  @Field(() => DateTimeScalar)
  at!: Date;

  @Field()
  targetId!: string;

  @Field()
  channelId!: string;

  @Field(() => TargetStateEnum)
  from!: TargetState;

  @Field(() => TargetStateEnum)
  to!: TargetState;

  @Field({ description: 'What caused it: failures, probe, remote, retry_after, manual, health_check.' })
  cause!: string;
}
