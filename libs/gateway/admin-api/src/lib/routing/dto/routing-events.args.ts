import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsInt, Max, Min } from 'class-validator';

export const MAX_ROUTING_EVENTS = 500;

@ArgsType()
export class RoutingEventsArgs {
  @Field(() => Int, { defaultValue: 50, description: `Newest first; 1 to ${MAX_ROUTING_EVENTS}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_ROUTING_EVENTS)
  limit!: number;
}
