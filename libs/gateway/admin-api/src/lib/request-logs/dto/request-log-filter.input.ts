import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';

@InputType({ description: 'What to find in the request log; every field given narrows the search.' })
export class RequestLogFilter {
  @Field(() => DateTimeScalar, { nullable: true, description: 'Calls at or after this moment.' })
  since?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Calls before this moment.' })
  until?: Date | null;

  @Field(() => ID, { nullable: true })
  keyId?: string | null;

  @Field(() => ID, { nullable: true })
  userId?: string | null;

  @Field(() => ID, { nullable: true })
  teamId?: string | null;

  @Field(() => String, { nullable: true, description: 'The requested or the upstream model.' })
  model?: string | null;

  @Field(() => String, { nullable: true })
  requestedModel?: string | null;

  @Field(() => String, { nullable: true })
  upstreamModel?: string | null;

  @Field(() => ID, { nullable: true })
  channelId?: string | null;

  @Field(() => String, { nullable: true, description: 'The route that served.' })
  route?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The API called: chat.completions, embeddings, audio.transcriptions, … (as on the log row).',
  })
  endpoint?: string | null;

  @Field(() => Int, { nullable: true, description: 'An exact HTTP status (100-599).' })
  status?: number | null;

  @Field(() => String, { nullable: true, description: "A status class: '1xx' to '5xx'." })
  statusClass?: string | null;

  @Field(() => Int, { nullable: true })
  minLatencyMs?: number | null;

  @Field(() => Int, { nullable: true })
  maxLatencyMs?: number | null;

  @Field(() => String, { nullable: true, description: 'upstream_timeout, rate_limit_exceeded, …' })
  errorClass?: string | null;

  @Field(() => ID, { nullable: true, description: 'One call, by its x-request-id.' })
  requestId?: string | null;
}
