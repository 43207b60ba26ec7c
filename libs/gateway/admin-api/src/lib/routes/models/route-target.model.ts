import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'An upstream deployment of a route: a channel and the model name sent to it.' })
export class RouteTarget {
  @Field()
  channelId!: string;

  @Field(() => String, { nullable: true, description: 'null when the channel no longer exists.' })
  channelName!: string | null;

  @Field({ description: "The upstream model name; '*' forwards the requested name (pattern routes)." })
  model!: string;

  @Field(() => Float, { description: 'Share of traffic under WEIGHTED (and within a tier under PRIORITY).' })
  weight!: number;

  @Field(() => Int, { description: 'PRIORITY strategy: higher numbers are tried first.' })
  priority!: number;

  @Field(() => Int, { nullable: true, description: 'Requests per minute per replica at most; null: no cap.' })
  rpm!: number | null;

  @Field(() => Int, { nullable: true, description: 'Tokens per minute per replica at most; null: no cap.' })
  tpm!: number | null;
}
