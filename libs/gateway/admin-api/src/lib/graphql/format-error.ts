import { Logger } from '@nestjs/common';
import type { GraphQLFormattedError } from 'graphql';
import { randomUUID } from 'node:crypto';
import { redactInputValues } from './redact-input-values';

const logger = new Logger('AdminApi');

/**
 * What leaves the admin API: errors with a known code keep their message (without the input values
 * graphql-js repeats, which may be secrets) and code only; anything else is an internal error whose
 * message (and stack) goes to the log under an id the caller gets.
 */
export function formatAdminApiError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const { message, locations, path } = formatted;
  const code = formatted.extensions?.['code'];
  if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') {
    return { message: redactInputValues(message), locations, path, extensions: { code } };
  }
  const errorId = randomUUID();
  const cause = (error as { originalError?: Error })?.originalError ?? error;
  logger.error(`${errorId}: ${(cause as Error)?.stack ?? message}`);
  return {
    message: `The admin API failed to handle the request (error id ${errorId}).`,
    locations,
    path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
  };
}
