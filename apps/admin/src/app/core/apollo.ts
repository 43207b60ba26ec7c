import { inject } from '@angular/core';
import { ApolloLink, InMemoryCache, type ApolloClient } from '@apollo/client';
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { HttpLink } from 'apollo-angular/http';
import { createClient, type Client } from 'graphql-ws';
import { Kind, OperationTypeNode } from 'graphql';
import { from, switchMap } from 'rxjs';
import { AuthService } from '../auth/auth.service';

/** Whether an error means the access token was not accepted: the moment to refresh it. */
export function isUnauthenticated(error: unknown): boolean {
  if (CombinedGraphQLErrors.is(error)) return error.errors.some((e) => e.extensions?.['code'] === 'UNAUTHENTICATED');
  if (ServerError.is(error)) return error.statusCode === 401;
  // graphql-ws closes the socket with 4401 when the token is missing, invalid or expires.
  return error instanceof Error && /^Socket closed with event 4401\b/.test(error.message);
}

/** The URL of the GraphQL WebSocket: ws(s) of the page's own origin. */
export function graphqlWsUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
}

/**
 * The console's Apollo client options: queries and mutations over HTTP (`/graphql`, bearer token),
 * subscriptions over graphql-ws on the same path (the token in connectionParams, read at every
 * connect). An UNAUTHENTICATED answer refreshes the token and retries the operation once; a refused
 * refresh signs out (AuthService).
 */
export function consoleApolloOptions(): ApolloClient.Options {
  const auth = inject(AuthService);
  const http = inject(HttpLink).create({ uri: '/graphql' });
  const withToken = new SetContextLink(async (context) => {
    const token = await auth.validAccessToken();
    return token
      ? { headers: { ...(context['headers'] as object | undefined), authorization: `Bearer ${token}` } }
      : {};
  });

  let ws: Client | null = null;
  const wsClient = () =>
    (ws ??= createClient({
      url: graphqlWsUrl(location),
      lazy: true,
      connectionParams: async () => ({ authorization: `Bearer ${(await auth.validAccessToken()) ?? ''}` }),
      retryAttempts: 5,
    }));
  const subscriptions = new ApolloLink((operation) => new GraphQLWsLink(wsClient()).request(operation));
  // A new session must not reuse the socket of the previous one.
  auth.signedOut$.subscribe(() => {
    void ws?.dispose();
    ws = null;
  });

  // Once per 30 s and operation: a subscription is closed (4401) each time a token expires, so it
  // may need this again after a while; an operation refused right after a refresh is not retried.
  const retryOnce = new ErrorLink(({ error, operation, forward }) => {
    const last = operation.getContext()['refreshedAt'] as number | undefined;
    if (!isUnauthenticated(error) || !auth.signedIn() || (last !== undefined && Date.now() - last < 30_000)) return;
    operation.setContext({ refreshedAt: Date.now() });
    return from(auth.refresh()).pipe(switchMap(() => forward(operation)));
  });

  const isSubscription = ({ query }: ApolloLink.Operation) => {
    const definition = getMainDefinition(query);
    return definition.kind === Kind.OPERATION_DEFINITION && definition.operation === OperationTypeNode.SUBSCRIPTION;
  };

  return {
    link: ApolloLink.from([retryOnce, ApolloLink.split(isSubscription, subscriptions, withToken.concat(http))]),
    cache: new InMemoryCache(),
  };
}
