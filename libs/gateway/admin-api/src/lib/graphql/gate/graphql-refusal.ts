import type { DocumentOverLimit } from '../limits/document-limits';
import { LIST_COST_FACTOR } from '../limits/measure-document';

/**
 * A request to `/graphql` refused before Apollo saw it, answered as a GraphQL request error
 * (`{ errors: [...] }`, no `data`) with a code in `extensions.code`. Thrown from the gate's Fastify
 * hooks; the route's error handler writes it.
 */
export class GraphqlRefusal extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly extensions: { code: string } & Record<string, string | number>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  get body(): { errors: { message: string; extensions: Record<string, string | number> }[] } {
    return { errors: [{ message: this.message, extensions: this.extensions }] };
  }
}

export const GraphqlRefusals = {
  tooManyRequests: (retryAfterSeconds: number) =>
    new GraphqlRefusal(
      429,
      `Too many requests; retry in ${retryAfterSeconds} s.`,
      { code: 'TOO_MANY_REQUESTS', retryAfterSeconds },
      { 'retry-after': String(retryAfterSeconds) },
    ),

  tooLarge: (maxBytes: number) =>
    new GraphqlRefusal(413, `The request is larger than the admin API accepts (${maxBytes} bytes).`, {
      code: 'PAYLOAD_TOO_LARGE',
      maxBytes,
    }),

  /** Over the small limit without a valid access token: what a sign-in would fix, and the limit. */
  tooLargeUnauthenticated: (accessTokenMessage: string, maxBytes: number) =>
    new GraphqlRefusal(
      401,
      `${accessTokenMessage} Without a valid access token a request may send at most ${maxBytes} bytes.`,
      { code: 'UNAUTHENTICATED', maxBytes },
    ),

  overLimit: ({ limit, max, actual }: DocumentOverLimit) =>
    new GraphqlRefusal(400, OVER_LIMIT[limit](actual, max), {
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit,
      max,
    }),
};

const OVER_LIMIT: Record<DocumentOverLimit['limit'], (actual: number, max: number) => string> = {
  tokens: (_, max) => `The document is too long: the admin API parses at most ${max} tokens.`,
  aliases: (actual, max) => `The document has ${actual} aliases; the admin API accepts at most ${max}.`,
  repeatedFields: (actual, max) =>
    `The document selects one field ${actual} times in the same place; the admin API accepts at most ${max}.`,
  depth: (actual, max) => `The operation nests fields ${actual} deep; the admin API accepts at most ${max}.`,
  cost: (actual, max) =>
    `The operation selects too much: it costs ${actual} (1 a field, what a list selects ${LIST_COST_FACTOR} times over); the admin API accepts at most ${max}.`,
};
