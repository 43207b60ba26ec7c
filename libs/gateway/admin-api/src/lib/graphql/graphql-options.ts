import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatAdminApiError } from './format-error';

/**
 * Apollo on Fastify at `/graphql`, schema built from the code in memory (nothing is written at run
 * time, so the built gateway runs from any working directory and a read-only image); the committed
 * `apps/gateway/schema.gql` is checked against it by `schema.spec.ts`. No landing page: the
 * Playground and Apollo's page load from CDNs. No introspection: the schema is in the repository.
 */
export function adminGraphqlOptions(): ApolloDriverConfig {
  return {
    driver: ApolloDriver,
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    playground: false,
    introspection: false,
    includeStacktraceInErrorResponses: false,
    // Automatic persisted queries would give anyone an in-memory cache to fill; the console needs none.
    persistedQueries: false,
    // @as-integrations/fastify calls the context function with (request, reply).
    context: (req: FastifyRequest, reply: FastifyReply) => ({ req, reply }),
    formatError: formatAdminApiError,
  };
}
