import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'Live figures of one group over the window.' })
export class LiveMetricsRow {
  @Field({ description: "The group's value: a model name, channel id, route name, key id, user id or team id." })
  value!: string;

  @Field(() => Int, { description: 'Calls finished in the window.' })
  requests!: number;

  @Field(() => Int, { description: 'Of them, answered with status 400 or above, except 499 (the caller hung up).' })
  errors!: number;

  @Field(() => Float, { description: 'errors / requests; 0 without requests.' })
  errorRate!: number;

  @Field(() => Float, { nullable: true, description: 'Latency percentiles (ms), from the shared latency buckets.' })
  latencyP50Ms!: number | null;

  @Field(() => Float, { nullable: true })
  latencyP95Ms!: number | null;

  @Field(() => Float, { nullable: true })
  latencyP99Ms!: number | null;

  @Field(() => Float, { nullable: true, description: 'Time to first token (ms) of streamed calls.' })
  ttftP50Ms!: number | null;

  @Field(() => Float, { nullable: true })
  ttftP95Ms!: number | null;

  @Field(() => Float, { nullable: true })
  ttftP99Ms!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Output tokens per second of generation (after the first token when streamed), over successful calls.',
  })
  outputTokensPerSecond!: number | null;

  @Field(() => Int, { description: 'Calls in flight now, on every replica.' })
  inFlight!: number;
}
