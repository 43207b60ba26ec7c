import { GraphQLError } from 'graphql';

/**
 * The errors the admin API sends, each with its `extensions.code`; one place, so that every
 * resolver and guard speaks the same codes. Unexpected errors are masked by the admin API.
 */
export const GqlErrors = {
  unauthenticated: (
    message = 'Sign in first: send "Authorization: Bearer <access token>" from POST /api/auth/login.',
  ) => new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED' } }),
  forbidden: (message = 'Your role may not do this.') =>
    new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } }),
  badUserInput: (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } }),
  notFound: (message: string) => new GraphQLError(message, { extensions: { code: 'NOT_FOUND' } }),
  /** The record is in use or in a state that forbids the change (a channel that routes target). */
  conflict: (message: string) => new GraphQLError(message, { extensions: { code: 'CONFLICT' } }),
};
