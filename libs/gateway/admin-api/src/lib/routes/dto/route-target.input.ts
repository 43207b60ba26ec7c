import { Field, Float, InputType, Int } from '@nestjs/graphql';

@InputType({ description: 'A target as in the config file: the channel by name.' })
export class RouteTargetInput {
  @Field({ description: 'A channel name.' })
  channel!: string;

  @Field(() => String, {
    nullable: true,
    description: "The upstream model name; default: the route's name, or '*' (the requested name) for a pattern route.",
  })
  model?: string | null;

  @Field(() => Float, { defaultValue: 1, description: 'Share of traffic under WEIGHTED (and within a PRIORITY tier).' })
  weight?: number;

  @Field(() => Int, { defaultValue: 0, description: 'PRIORITY strategy: higher numbers are tried first.' })
  priority?: number;

  @Field(() => Int, { nullable: true, description: 'Requests per minute per replica at most.' })
  rpm?: number | null;

  @Field(() => Int, { nullable: true, description: 'Tokens per minute per replica at most.' })
  tpm?: number | null;
}
