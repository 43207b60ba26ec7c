import { Field, InputType } from '@nestjs/graphql';
import type { StrategyName } from '@synapse/routing';
import { RouteStrategyEnum } from '../models/route-strategy.enum';
import { RouteRetryInput } from './route-retry.input';
import { RouteTargetInput } from './route-target.input';

@InputType({
  description: 'A whole route, as in the config file: it creates the route or replaces the one of that name.',
})
export class RouteInput {
  @Field({ description: "The public model name, or a pattern such as 'gpt-4o*'." })
  name!: string;

  @Field(() => RouteStrategyEnum, { defaultValue: RouteStrategyEnum.ROUND_ROBIN })
  strategy?: StrategyName;

  @Field(() => [RouteTargetInput], { description: 'At least one.' })
  targets!: RouteTargetInput[];

  @Field(() => [String], { defaultValue: [], description: 'Routes tried, in order, when every target here failed.' })
  fallbacks?: string[];

  @Field(() => [String], { defaultValue: [], description: 'More public names for the same route.' })
  aliases?: string[];

  @Field(() => RouteRetryInput, { nullable: true, description: 'null or left out: the default retry policy.' })
  retry?: RouteRetryInput | null;

  @Field(() => Boolean, {
    defaultValue: false,
    description: 'Store the request and response bodies of calls to this route (redacted, capped).',
  })
  captureBodies?: boolean;
}
