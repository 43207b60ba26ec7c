import { request as httpRequest } from 'node:http';
import { accessToken } from './support/admin-session';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';

const OWNER_EMAIL = 'owner@example.com';
const OWNER_PASSWORD = 'e2e-owner-password';

interface Answer {
  status: number;
  headers: Headers;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  data?: Record<string, unknown> | null;
}

/** A JSON POST to /graphql, with the token when given. */
async function post(gateway: GatewayProcess, body: string, token?: string): Promise<Answer> {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return { status: response.status, headers: response.headers, ...((await response.json()) as object) };
}

const operation = (query: string) => JSON.stringify({ query });
const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: __typename`).join(' ')} }`;
const firstError = (answer: Answer) => answer.errors?.[0];

/**
 * Sends the headers of a POST announcing `totalBytes` and its first 16 kB, never the rest: an
 * answer can only come from a server that judged the request before reading its body.
 */
function answerBeforeTheBody(gateway: GatewayProcess, totalBytes: number, token?: string): Promise<Answer | 'none'> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(totalBytes),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });
    // A server that waits for the whole body never answers: fail the test instead of hanging.
    const giveUp = setTimeout(() => {
      request.destroy();
      resolve('none');
    }, 10_000);
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        clearTimeout(giveUp);
        request.destroy();
        const headers = new Headers(response.headers as Record<string, string>);
        resolve({ status: response.statusCode ?? 0, headers, ...(JSON.parse(text) as object) });
      });
    });
    request.on('error', (error) => {
      clearTimeout(giveUp);
      reject(error);
    });
    request.write(`{"query":"{ ${'a: __typename '.repeat(1100)}`);
  });
}

/** Security issue #11: /graphql without limits stalled the whole process. */
describe('GraphQL admin API limits', () => {
  let gateway: GatewayProcess;
  let owner: string;

  beforeAll(async () => {
    gateway = await startGateway({
      env: {
        ADMIN_EMAIL: OWNER_EMAIL,
        ADMIN_PASSWORD: OWNER_PASSWORD,
        HEALTH_CHECK_INTERVAL_MS: '0',
        ADMIN_RATE_LIMIT_PER_MINUTE: '0',
      },
    });
    owner = await accessToken(gateway.url, OWNER_EMAIL, OWNER_PASSWORD);
  });

  afterAll(async () => {
    await gateway?.stop();
    if (gateway) removeDir(gateway.dataDir);
  });

  it('still answers what the console asks', async () => {
    const answer = await post(
      gateway,
      operation('query Home { me { email role } channels { name } routes { name } }'),
      owner,
    );
    expect(answer.status).toBe(200);
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ me: { email: OWNER_EMAIL, role: 'owner' }, channels: [], routes: [] });
  });

  it('refuses the 100,000-alias document (1.9 MB) by its size, without reading it, and /health/live answers meanwhile', async () => {
    const attack = operation(aliases(100_000));
    expect(attack.length).toBeGreaterThan(1_800_000);

    const [anonymous, signedIn, live] = await Promise.all([
      post(gateway, attack),
      post(gateway, attack, owner),
      fetch(`${gateway.url}/health/live`),
    ]);
    expect(live.status).toBe(200);
    expect(anonymous.status).toBe(401);
    expect(firstError(anonymous)?.extensions).toEqual({ code: 'UNAUTHENTICATED', maxBytes: 2048 });
    expect(firstError(anonymous)?.message).toContain('at most 2048 bytes');
    expect(signedIn.status).toBe(413);
    expect(signedIn.errors).toEqual([
      {
        message: 'The request is larger than the admin API accepts (65536 bytes).',
        extensions: { code: 'PAYLOAD_TOO_LARGE', maxBytes: 65536 },
      },
    ]);

    // Judged by its Content-Length: the answer comes while most of the body was never sent.
    expect(await answerBeforeTheBody(gateway, attack.length)).toMatchObject({ status: 401 });
    expect(await answerBeforeTheBody(gateway, attack.length, owner)).toMatchObject({ status: 413 });
    expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
  });

  it('refuses an alias-heavy document inside the body limit by its aliases, before it runs', async () => {
    // 600 aliases: 1,802 tokens, within the token limit.
    const document = operation(aliases(600));
    expect(document.length).toBeLessThan(64 * 1024);
    const answer = await post(gateway, document, owner);
    expect(answer.status).toBe(400);
    expect(answer.data).toBeUndefined();
    expect(answer.errors).toEqual([
      {
        message: 'The document has 600 aliases; the admin API accepts at most 50.',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'aliases', max: 50 },
      },
    ]);
  });

  it('refuses a document that repeats one field, which graphql-js would compare pair by pair', async () => {
    // 3.5 kB, no alias, 2,000 tokens: it kept validation busy for most of a second.
    const answer = await post(gateway, operation(`{ ${'me { id } '.repeat(499)}}`), owner);
    expect(answer.status).toBe(400);
    expect(answer.errors).toEqual([
      {
        message: 'The document selects one field 499 times in the same place; the admin API accepts at most 10.',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'repeatedFields', max: 10 },
      },
    ]);
  });

  it('refuses a deep document by its depth', async () => {
    const deep = `{ me ${'{ x '.repeat(30)}${'} '.repeat(30)}}`;
    const answer = await post(gateway, operation(deep), owner);
    expect(answer.status).toBe(400);
    expect(firstError(answer)?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth', max: 10 });
  });

  it('refuses a body nested past 128 levels, and role conditions past 16 (5,000 levels of them were a 500)', async () => {
    const createRole = 'mutation($input: CreateRoleInput!) { createRole(input: $input) { name } }';
    const body = (name: string, depth: number) =>
      `{"query":${JSON.stringify(createRole)},"variables":{"input":{"name":"${name}","description":"e2e",` +
      `"rules":[{"action":["read"],"subject":["GatewayKey"],"conditions":` +
      `${'{"userId":'.repeat(depth)}"x"${'}'.repeat(depth)}}]}}}`;
    // Refused by the JSON parser, as on every route, before GraphQL sees it.
    const deep = (await post(gateway, body('deep-body', 5_000), owner)) as Answer & Record<string, unknown>;
    expect(deep).toMatchObject({
      status: 400,
      error: 'invalid_json',
      message: expect.stringMatching(/deeper than 128/),
    });
    // Within the body's bound, past the conditions': the role's own validation says so.
    const nested = await post(gateway, body('deep-conditions', 100), owner);
    expect(firstError(nested)?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(firstError(nested)?.message).toContain('rules[0].conditions: nested deeper than 16 levels');
    expect((await post(gateway, body('shallow-conditions', 1), owner)).data).toEqual({
      createRole: { name: 'shallow-conditions' },
    });
  });

  it('refuses a token-heavy document while parsing it', async () => {
    const heavy = `{ me { email ${'__typename '.repeat(5_000)}} }`;
    expect(heavy.length).toBeLessThan(64 * 1024);
    const answer = await post(gateway, operation(heavy), owner);
    expect(answer.status).toBe(400);
    expect(answer.errors).toEqual([
      {
        message: 'The document is too long: the admin API parses at most 2000 tokens.',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'tokens', max: 2000 },
      },
    ]);
  });

  it('refuses a costly document by its cost', async () => {
    // 40 × (1 + 10 × (1 + 10 × 3)) = 12,440, in 400 tokens.
    const costly = `{ ${Array.from({ length: 40 }, (_, i) => `t${i}: teams { members { id email name } }`).join(' ')} }`;
    const answer = await post(gateway, operation(costly), owner);
    expect(answer.status).toBe(400);
    expect(firstError(answer)?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost', max: 10000 });
  });

  it('allows a caller without a valid access token only a small document', async () => {
    const document = operation(`{ me { email } } # ${'padding '.repeat(300)}`);
    expect(document.length).toBeGreaterThan(2048);
    for (const token of [undefined, 'not-a-token', `${owner.slice(0, -2)}xx`]) {
      const answer = await post(gateway, document, token);
      expect(answer.status).toBe(401);
      expect(firstError(answer)?.extensions).toEqual({ code: 'UNAUTHENTICATED', maxBytes: 2048 });
    }
    // With the token, the same document runs.
    expect((await post(gateway, document, owner)).data).toEqual({ me: { email: OWNER_EMAIL } });
  });

  it('suggests no field names to a caller who misspells one', async () => {
    const anonymous = await post(gateway, operation('{ me { emial } }'));
    const signedIn = await post(gateway, operation('{ me { emial } }'), owner);
    for (const answer of [anonymous, signedIn]) {
      expect(firstError(answer)).toMatchObject({
        message: 'Cannot query field "emial" on type "User".',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
    }
    // Nor in the errors of variables, which graphql-js reports while running the operation.
    const upsert = (input: Record<string, unknown>) =>
      post(
        gateway,
        JSON.stringify({
          query: 'mutation($input: RouteInput!) { upsertRoute(input: $input) { name } }',
          variables: { input },
        }),
        owner,
      );
    expect(firstError(await upsert({ name: 'r', strategy: 'ROUND_ROBINN', targets: [] }))?.message).toBe(
      'Variable "$input" got an invalid value at "input.strategy": The value does not exist in "RouteStrategy" enum.',
    );
    expect(firstError(await upsert({ name: 'r', strategie: 'ROUND_ROBIN', targets: [] }))?.message).toBe(
      'Variable "$input" got an invalid value: Field "strategie" is not defined by type "RouteInput".',
    );
  });
});

describe('GraphQL admin API rate limit', () => {
  let gateway: GatewayProcess;

  beforeAll(async () => {
    gateway = await startGateway({ env: { HEALTH_CHECK_INTERVAL_MS: '0', ADMIN_RATE_LIMIT_PER_MINUTE: '5' } });
  });

  afterAll(async () => {
    await gateway?.stop();
    if (gateway) removeDir(gateway.dataDir);
  });

  it('counts refused requests against the address, then refuses everything with 429 and Retry-After', async () => {
    const refused = [
      operation(aliases(100_000)), // too large
      operation(aliases(60)), // too many aliases
      operation('{ me { email }'), // a syntax error
      operation('{ nothing }'), // an unknown field
      operation('{ me { email } roles { name } teams { name } }'), // three root fields, one request
    ];
    for (const document of refused) expect((await post(gateway, document)).status).not.toBe(429);

    const limited = await post(gateway, operation('{ me { email } }'));
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(limited.errors).toEqual([
      {
        message: `Too many requests; retry in ${retryAfter} s.`,
        extensions: { code: 'TOO_MANY_REQUESTS', retryAfterSeconds: retryAfter },
      },
    ]);
    // The attack document too, without being looked at; probes still answer.
    expect((await answerBeforeTheBody(gateway, 1_900_000)) as Answer).toMatchObject({ status: 429 });
    expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
  });
});
