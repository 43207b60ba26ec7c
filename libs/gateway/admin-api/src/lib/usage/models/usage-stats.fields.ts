import { Field, Float, ObjectType } from '@nestjs/graphql';

/** The sums and derived figures every usage answer has (counts are Float: sums pass 2^31). */
@ObjectType({ isAbstract: true })
export abstract class UsageStatsFields {
  @Field(() => Float)
  requests!: number;

  @Field(() => Float, { description: 'Calls answered with status 400 or more.' })
  errors!: number;

  @Field(() => Float)
  promptTokens!: number;

  @Field(() => Float)
  completionTokens!: number;

  @Field(() => Float, { description: 'Prompt tokens served from the upstream cache.' })
  cachedTokens!: number;

  @Field(() => Float)
  totalTokens!: number;

  @Field(() => Float, { description: 'USD, as logged at call time.' })
  costUsd!: number;

  @Field(() => Float, { nullable: true })
  latencyAvgMs!: number | null;

  @Field(() => Float, { nullable: true, description: 'From the latency histogram (@synapse/metrics buckets).' })
  latencyP50Ms!: number | null;

  @Field(() => Float, { nullable: true })
  latencyP95Ms!: number | null;

  @Field(() => Float, { nullable: true })
  latencyP99Ms!: number | null;

  @Field(() => String, { description: "Latency histogram, '<bucket index>:<count>' pairs (LATENCY_BUCKETS_MS)." })
  latencyBuckets!: string;

  @Field(() => Float, { nullable: true, description: 'Mean time to first token of streams.' })
  ttftAvgMs!: number | null;

  @Field(() => Float, { nullable: true, description: 'Completion tokens per second after the first token (streams).' })
  tokensPerSecond!: number | null;
}
