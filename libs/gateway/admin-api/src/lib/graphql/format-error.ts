import { Logger } from '@nestjs/common';
import type { GraphQLFormattedError } from 'graphql';
import { randomUUID } from 'node:crypto';
import { redactInputValues } from './redact-input-values';

const logger = new Logger('AdminApi');

/** graphql-js ends a message with its guesses at what was meant: names from the schema. */
const SUGGESTION = / ?Did you mean .+\?$/;

/**
 * What leaves the admin API: errors with a known code keep their message (without the input values
 * graphql-js repeats, which may be secrets, and, with `hideSuggestions`, without the field, type
 * and enum names it suggests, also in errors of variables, which validation options do not reach)
 * and code only; anything else is an internal error whose message (and stack) goes to the log
 * under an id the caller gets.
 */
export function adminApiErrorFormatter({ hideSuggestions }: { hideSuggestions: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const { message, locations, path } = formatted;
    const code = formatted.extensions?.['code'];
    if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') {
      const shown = hideSuggestions ? message.replace(SUGGESTION, '') : message;
      return { message: redactInputValues(shown), locations, path, extensions: { code } };
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
  };
}
