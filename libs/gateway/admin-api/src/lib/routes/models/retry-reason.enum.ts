import { registerEnumType } from '@nestjs/graphql';
import type { RetryReason } from '@synapse/routing';

/** GraphQL names of the retry reasons (`429` is STATUS_429); the compiler checks the list is complete. */
export const RetryReasonEnum = {
  CONNECT: 'connect',
  TIMEOUT: 'timeout',
  STATUS_429: '429',
  STATUS_5XX: '5xx',
} as const satisfies {
  [R in RetryReason as R extends `${number}${string}` ? `STATUS_${Uppercase<R>}` : Uppercase<R>]: R;
};

registerEnumType(RetryReasonEnum, {
  name: 'RetryReason',
  description: 'CONNECT: connection errors. TIMEOUT: timeouts and upstream 408. STATUS_429, STATUS_5XX: those answers.',
});
