import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { adminApiErrorFormatter } from './format-error';
import { DateTimeScalar } from './scalars/date-time.scalar';

export const ADMIN_GRAPHQL_PATH = '/graphql';

export interface AdminGraphqlOptions {
  /** No "Did you mean …?" in errors, which would spell out the schema to anyone (production). */
  hideSuggestions: boolean;
  /** Apollo's own parse stops there too (GraphqlGate refuses longer documents before it). */
  maxTokens: number;
}

/**
 * Apollo on Fastify at `/graphql`, schema built from the code in memory (nothing is written at run
 * time, so the built gateway runs from any working directory and a read-only image); the committed
 * `apps/gateway/schema.gql` is checked against it by `schema.spec.ts`. No landing page: the
 * Playground and Apollo's page load from CDNs. No introspection: the schema is in the repository.
 * What a request may send is limited before Apollo sees it, by GraphqlGate.
 */
export function adminGraphqlOptions({ hideSuggestions, maxTokens }: AdminGraphqlOptions): ApolloDriverConfig {
  return {
    driver: ApolloDriver,
    path: ADMIN_GRAPHQL_PATH,
    autoSchemaFile: true,
    sortSchema: true,
    // Fields typed Date without an explicit scalar get the strict one too.
    buildSchemaOptions: { scalarsMap: [{ type: Date, scalar: DateTimeScalar }] },
    playground: false,
    introspection: false,
    includeStacktraceInErrorResponses: false,
    // Automatic persisted queries would give anyone an in-memory cache to fill; the console needs none.
    persistedQueries: false,
    parseOptions: { maxTokens },
    // graphql-js then computes no suggestions during validation; Apollo's plugin strips what is left.
    validationOptions: { hideSuggestions },
    hideSchemaDetailsFromClientErrors: hideSuggestions,
    // @as-integrations/fastify calls the context function with (request, reply).
    context: (req: FastifyRequest, reply: FastifyReply) => ({ req, reply }),
    formatError: adminApiErrorFormatter({ hideSuggestions }),
  };
}
