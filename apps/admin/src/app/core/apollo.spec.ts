import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Apollo, gql, provideApollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { AuthService, SESSION_STORAGE_KEY } from '../auth/auth.service';
import { consoleApolloOptions, graphqlWsUrl, isUnauthenticated } from './apollo';

const PING = gql<{ me: { id: string } }, Record<string, never>>`
  query Ping {
    me {
      id
    }
  }
`;

const pair = (n: number) => ({
  accessToken: `access-${n}`,
  tokenType: 'Bearer',
  expiresIn: 900,
  refreshToken: `refresh-${n}`,
  refreshExpiresIn: 3600,
});

/** Lets promises and the HTTP link's observables move on. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe(consoleApolloOptions.name, () => {
  let http: HttpTestingController;

  beforeEach(() => {
    const now = Date.now();
    sessionStorage.setItem(
      SESSION_STORAGE_KEY,
      JSON.stringify({ pair: pair(1), accessExpiresAt: now + 900_000, refreshExpiresAt: now + 3_600_000 }),
    );
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideApollo(consoleApolloOptions)],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('sends the access token, and on UNAUTHENTICATED refreshes it once and retries', async () => {
    const result = firstValueFrom(TestBed.inject(Apollo).query({ query: PING, fetchPolicy: 'network-only' }));
    await settle();
    const first = http.expectOne('/graphql');
    expect(first.request.headers.get('authorization')).toBe('Bearer access-1');
    first.flush({ errors: [{ message: 'The access token has expired.', extensions: { code: 'UNAUTHENTICATED' } }] });
    await settle();

    const refresh = http.expectOne('/api/auth/refresh');
    expect(refresh.request.body).toEqual({ refreshToken: 'refresh-1' });
    refresh.flush(pair(2));
    await settle();

    const retry = http.expectOne('/graphql');
    expect(retry.request.headers.get('authorization')).toBe('Bearer access-2');
    retry.flush({ data: { me: { __typename: 'User', id: 'u1' } } });
    expect((await result).data?.me.id).toBe('u1');
    expect(JSON.parse(sessionStorage.getItem(SESSION_STORAGE_KEY) ?? '{}').pair.refreshToken).toBe('refresh-2');
  });

  it('signs out when the gateway refuses the refresh, and gives the error to the page', async () => {
    const auth = TestBed.inject(AuthService);
    const ended = jest.fn();
    auth.signedOut$.subscribe(ended);
    const result = firstValueFrom(TestBed.inject(Apollo).query({ query: PING, fetchPolicy: 'network-only' }));
    await settle();
    http.expectOne('/graphql').flush({ errors: [{ message: 'Revoked.', extensions: { code: 'UNAUTHENTICATED' } }] });
    await settle();
    http
      .expectOne('/api/auth/refresh')
      .flush({ error: { message: 'Session expired.' } }, { status: 401, statusText: 'Unauthorized' });
    await expect(result).rejects.toBeDefined();
    expect(ended).toHaveBeenCalledTimes(1);
    expect(auth.signedIn()).toBe(false);
    expect(sessionStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  it('refreshes before sending when the access token is about to expire', async () => {
    const now = Date.now();
    sessionStorage.setItem(
      SESSION_STORAGE_KEY,
      JSON.stringify({ pair: pair(1), accessExpiresAt: now + 1_000, refreshExpiresAt: now + 3_600_000 }),
    );
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideApollo(consoleApolloOptions)],
    });
    http = TestBed.inject(HttpTestingController);
    const result = firstValueFrom(TestBed.inject(Apollo).query({ query: PING, fetchPolicy: 'network-only' }));
    await settle();
    // One refresh only, though both the timer and the query asked for one.
    http.expectOne('/api/auth/refresh').flush(pair(2));
    await settle();
    const request = http.expectOne('/graphql');
    expect(request.request.headers.get('authorization')).toBe('Bearer access-2');
    request.flush({ data: { me: { __typename: 'User', id: 'u1' } } });
    await result;
  });

  it('knows the errors that mean a token was not accepted, and where subscriptions connect', () => {
    expect(isUnauthenticated(new Error('Socket closed with event 4401 The access token has expired'))).toBe(true);
    expect(isUnauthenticated(new Error('Socket closed with event 1006'))).toBe(false);
    expect(graphqlWsUrl({ protocol: 'https:', host: 'console.example.com' })).toBe('wss://console.example.com/graphql');
    expect(graphqlWsUrl({ protocol: 'http:', host: 'localhost:3000' })).toBe('ws://localhost:3000/graphql');
  });
});
