import { Field, InputType, Int } from '@nestjs/graphql';
import type { RetryReason } from '@synapse/routing';
import { RetryReasonEnum } from '../models/retry-reason.enum';

@InputType({ description: 'A retry policy; a field left out takes the default.' })
export class RouteRetryInput {
  @Field(() => Int, { nullable: true, description: 'Tries per route, the first included: 1 to 10 (default 3).' })
  attempts?: number | null;

  @Field(() => [RetryReasonEnum], { nullable: true, description: 'Failures worth another try (default: all).' })
  retryOn?: RetryReason[] | null;

  @Field(() => Int, { nullable: true, description: 'Exponential backoff base with full jitter (default 100).' })
  backoffMs?: number | null;

  @Field(() => Int, { nullable: true, description: 'Backoff cap (default 2000).' })
  maxBackoffMs?: number | null;

  @Field(() => Int, { nullable: true, description: 'Longest Retry-After slept on (default 30000).' })
  maxRetryAfterMs?: number | null;
}
