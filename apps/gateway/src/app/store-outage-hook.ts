import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { StoreAvailability } from '@synapse/gateway/persistence';

/** The Fastify instance under Nest (its own copy of fastify's types). */
type Fastify = ReturnType<ReturnType<NestFastifyApplication['getHttpAdapter']>['getInstance']>;

const MESSAGE =
  'The database is unreachable: the admin API is unavailable; retry shortly. Proxied calls are still served.';

/**
 * While the database is down the admin API answers 503 with Retry-After at once, in its own
 * shapes (GraphQL errors on /graphql, Nest's on /api), rather than each query failing as an
 * internal error after its connection timeout. /v1 never passes here: it is served from memory.
 */
export function refuseAdminWhileStoreDown(fastify: Fastify, availability: StoreAvailability): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (availability.up) return done();
    const url = request.url;
    const graphql = url === '/graphql' || url.startsWith('/graphql?');
    if (!graphql && !url.startsWith('/api/')) return done();
    reply
      .code(503)
      .header('retry-after', '5')
      .send(
        graphql
          ? { errors: [{ message: MESSAGE, extensions: { code: 'SERVICE_UNAVAILABLE' } }] }
          : { statusCode: 503, error: 'Service Unavailable', message: MESSAGE },
      );
  });
}
