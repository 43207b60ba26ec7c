import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';
import { ENDPOINTS } from '@synapse/endpoints';

@ObjectType({ description: 'One proxied call, logged after the fact. Error messages are stored redacted.' })
export class RequestLogRow {
  @Field(() => ID, { description: 'The request id the caller got in x-request-id.' })
  id!: string;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field({
    description: `The API called: ${ENDPOINTS.join(', ')}.`,
  })
  endpoint!: string;

  @Field(() => ID, { nullable: true })
  keyId!: string | null;

  @Field(() => ID, { nullable: true })
  userId!: string | null;

  @Field(() => ID, { nullable: true, description: "The key's team, when a team owns the key." })
  teamId?: string | null;

  @Field(() => String, { nullable: true })
  requestedModel!: string | null;

  @Field(() => String, { nullable: true, description: "The route that served (a fallback's name when one did)." })
  routeName!: string | null;

  @Field(() => ID, { nullable: true })
  channelId!: string | null;

  @Field(() => String, { nullable: true })
  upstreamModel!: string | null;

  @Field(() => Int, { nullable: true, description: 'Upstream attempts, retries and fallbacks included.' })
  attempts!: number | null;

  @Field()
  stream!: boolean;

  @Field(() => Int, { description: 'HTTP status answered (499: the caller hung up).' })
  status!: number;

  @Field(() => Int)
  latencyMs!: number;

  @Field(() => Int, { nullable: true, description: 'Time to the first streamed byte.' })
  ttftMs!: number | null;

  @Field(() => Int, { nullable: true })
  promptTokens!: number | null;

  @Field(() => Int, { nullable: true })
  completionTokens!: number | null;

  @Field(() => Int, { nullable: true })
  totalTokens!: number | null;

  @Field(() => Int, { nullable: true })
  cachedTokens?: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "Seconds of audio the call was billed by: the upstream's, else the uploaded file's or the speech relayed, as the gateway measured them; null for other calls.",
  })
  audioSeconds?: number | null;

  @Field(() => String, { nullable: true, description: 'upstream or tokenizer.' })
  usageSource!: string | null;

  @Field(() => Float, { nullable: true, description: 'USD at the configured model prices.' })
  costUsd!: number | null;

  @Field(() => String, { nullable: true, description: 'A stable class such as upstream_timeout; null on success.' })
  errorClass!: string | null;

  @Field(() => String, { nullable: true })
  errorMessage!: string | null;
}

/**
 * One call read by its id, with its captured bodies. Lists hold RequestLogRow, without them: a
 * page of bodies would be a page of megabytes, and the documents stay shallow (GraphQL limits).
 */
@ObjectType({ description: 'One proxied call with its captured bodies (see `body`).' })
export class RequestLog extends RequestLogRow {}
