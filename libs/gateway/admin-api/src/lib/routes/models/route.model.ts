import { Field, ObjectType } from '@nestjs/graphql';
import type { StrategyName } from '@synapse/routing';
import { RouteRetry } from './route-retry.model';
import { RouteStrategyEnum } from './route-strategy.enum';
import { RouteTarget } from './route-target.model';

@ObjectType({ description: 'A public model name (or pattern) and the upstream targets that serve it.' })
export class Route {
  @Field({ description: "The public model name, or a pattern such as 'gpt-4o*'." })
  name!: string;

  @Field(() => RouteStrategyEnum)
  strategy!: StrategyName;

  @Field(() => [String], { description: 'More public names for the same route.' })
  aliases!: string[];

  @Field(() => [String], { description: 'Routes tried, in order, when every target here failed.' })
  fallbacks!: string[];

  @Field(() => RouteRetry, { nullable: true, description: 'null: the default retry policy.' })
  retry!: RouteRetry | null;

  @Field(() => [RouteTarget])
  targets!: RouteTarget[];

  @Field({ description: 'Whether the request and response bodies of calls to this route are stored.' })
  captureBodies!: boolean;
}
