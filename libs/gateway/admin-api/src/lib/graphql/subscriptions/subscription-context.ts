import type { AdminGqlContext } from '@synapse/gateway/auth';

/**
 * The context a subscription runs with: the shape of an HTTP request as far as the guards read it
 * (`headers.authorization`, `ip`), so that GqlAuthGuard and AuthorizationGuard check a subscription
 * exactly as they check a query. A fresh one per subscription: each gets its own ability.
 */
export function subscriptionContext(authorization: string, ip: string): AdminGqlContext {
  const req = { headers: { authorization }, ip, id: undefined, method: 'SUBSCRIBE', url: '/graphql' };
  return { req, reply: undefined } as unknown as AdminGqlContext;
}
