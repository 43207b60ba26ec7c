import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';
import type { TargetStatusView } from '@synapse/gateway/proxy';
import type { TargetState } from '@synapse/routing';
import { ChannelCheck } from './channel-check.model';
import { TargetStateEnum } from './target-state.enum';

@ObjectType({ description: 'One routing target (channel + upstream model) and its current state. No secrets.' })
export class RoutingTarget implements TargetStatusView {
  @Field(() => ID, { description: '`<channelId>/<model>`' })
  id!: string;

  @Field()
  channelId!: string;

  @Field()
  channelName!: string;

  @Field({ description: 'The upstream model name.' })
  model!: string;

  @Field(() => [String], { description: 'Public model names (routes) that use this target.' })
  routes!: string[];

  @Field(() => TargetStateEnum)
  state!: TargetState;

  @Field(() => Int, { description: 'Requests in flight on this replica.' })
  inFlight!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Moving average of recent latencies; null before the first success.',
  })
  latencyMs!: number | null;

  @Field(() => Int, { description: 'Failures within the failure window.' })
  recentFailures!: number;

  @Field(() => DateTimeScalar, { nullable: true })
  cooldownUntil!: Date | null;

  @Field(() => ChannelCheck, { nullable: true })
  lastCheck!: ChannelCheck | null;
}
