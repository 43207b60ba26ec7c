import { Readable } from 'node:stream';
import { startAdminApiTestApp, type AdminApiTestApp } from '../../testing/admin-api-test-app';
import { GraphqlGate } from './graphql-gate';

const LIMITS = { maxTokens: 200, maxAliases: 5, maxRepeatedFields: 3, maxDepth: 2, maxCost: 300 };

/** The gate on the admin API as the gateway installs it, through Fastify's request injection. */
describe(GraphqlGate.name, () => {
  let t: AdminApiTestApp;
  let owner: string;

  beforeAll(async () => {
    t = await startAdminApiTestApp({
      graphql: { maxBodyBytes: 4096, maxUnauthenticatedBytes: 512, limits: LIMITS },
    });
    owner = await t.tokenFor('owner');
  });

  afterAll(() => t.close());

  const post = (payload: string | Readable, token?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload,
    });
  const operation = (query: string) => JSON.stringify({ query });

  it('lets an operation within every limit through', async () => {
    const response = await post(operation('{ me { email } }'), owner);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ data: { me: { email: 'owner@example.com' } } });
  });

  it('refuses a body over the limit by its Content-Length, as a GraphQL error', async () => {
    const response = await post(operation(`{ me { email } } # ${'x'.repeat(5000)}`), owner);
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({
      errors: [
        {
          message: 'The request is larger than the admin API accepts (4096 bytes).',
          extensions: { code: 'PAYLOAD_TOO_LARGE', maxBytes: 4096 },
        },
      ],
    });
  });

  it('refuses a body without Content-Length once it outgrows the limit', async () => {
    const chunked = Readable.from([operation(`{ me { email } } # ${'x'.repeat(5000)}`)]);
    const response = await post(chunked, owner);
    expect(response.statusCode).toBe(413);
    expect(response.json().errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('allows a caller without a valid token only the small limit, and says why', async () => {
    const document = operation(`{ me { email } } # ${'x'.repeat(600)}`);
    const missing = await post(document);
    expect(missing.statusCode).toBe(401);
    expect(missing.json().errors[0]).toEqual({
      message:
        'Sign in first: send "Authorization: Bearer <access token>" from POST /api/auth/login. Without a valid access token a request may send at most 512 bytes.',
      extensions: { code: 'UNAUTHENTICATED', maxBytes: 512 },
    });
    expect((await post(document, `${owner}x`)).statusCode).toBe(401);
    expect((await post(Readable.from([document]))).json().errors[0].extensions.code).toBe('UNAUTHENTICATED');
    // Within it, the usual answer.
    const small = await post(operation('{ me { email } }'));
    expect(small.json().errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(small.json().errors[0].message).not.toContain('bytes');
  });

  it.each([
    [
      'tokens',
      `{ ${'me { id } '.repeat(60)} }`,
      'The document is too long: the admin API parses at most 200 tokens.',
      200,
    ],
    [
      'aliases',
      `{ ${Array.from({ length: 6 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
      'The document has 6 aliases; the admin API accepts at most 5.',
      5,
    ],
    [
      'repeatedFields',
      '{ me { id } ... on Query { me { email } } me { ...F } me { name } } fragment F on User { id }',
      'The document selects one field 4 times in the same place; the admin API accepts at most 3.',
      3,
    ],
    [
      'depth',
      '{ me { ...S } } fragment S on User { spend { todayUsd } }',
      'The operation nests fields 3 deep; the admin API accepts at most 2.',
      2,
    ],
    [
      'cost',
      `{ channels { id name baseUrl models enabled type apiKeyHint headerNames createdAt updatedAt }
         routes { name aliases fallbacks strategy } users { id email name role createdAt hasPassword teamIds }
         gatewayKeys { id name prefix models enabled createdAt } roles { name description builtIn } }`,
      // Each list: 1 + 10 × its fields.
      'The operation selects too much: it costs 305 (1 a field, what a list selects 10 times over); the admin API accepts at most 300.',
      300,
    ],
  ])('refuses a document over its %s limit before it is validated', async (limit, query, message, max) => {
    const response = await post(operation(query), owner);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      errors: [{ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit, max } }],
    });
  });

  it('measures GET documents too', async () => {
    const query = encodeURIComponent(`{ ${Array.from({ length: 6 }, (_, i) => `a${i}: __typename`).join(' ')} }`);
    const response = await t.app.inject({
      method: 'GET',
      url: `/graphql?query=${query}`,
      headers: { authorization: `Bearer ${owner}`, 'apollo-require-preflight': 'true' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].extensions).toEqual({
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit: 'aliases',
      max: 5,
    });
  });

  it('leaves syntax errors to Apollo', async () => {
    const response = await post(operation('{ me { email }'), owner);
    expect(response.json().errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('names no field of the schema in errors', async () => {
    const response = await post(operation('{ me { emial } }'), owner);
    expect(response.json().errors[0]).toMatchObject({
      message: 'Cannot query field "emial" on type "User".',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });
});

describe(`${GraphqlGate.name} rate limit`, () => {
  let t: AdminApiTestApp;

  beforeAll(async () => {
    t = await startAdminApiTestApp({ graphql: { requestsPerMinute: 3, maxUnauthenticatedBytes: 512 } });
  });

  afterAll(() => t.close());

  it('counts every HTTP request once, refused ones included, then answers 429 with Retry-After', async () => {
    const send = (query: string) =>
      t.app.inject({
        method: 'POST',
        url: '/graphql',
        payload: { query },
        headers: { 'content-type': 'application/json' },
      });
    // Two root fields count once; a body over the limit counts as well.
    expect((await send('{ me { id } roles { name } }')).headers['x-ratelimit-remaining']).toBe('2');
    expect((await send(`{ me { id } } # ${'x'.repeat(600)}`)).statusCode).toBe(401);
    expect((await send('{ me { id } }')).statusCode).toBe(200);
    const refused = await send('{ me { id } }');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toEqual({
      errors: [
        {
          message: `Too many requests; retry in ${refused.headers['retry-after']} s.`,
          extensions: { code: 'TOO_MANY_REQUESTS', retryAfterSeconds: Number(refused.headers['retry-after']) },
        },
      ],
    });
  });
});
