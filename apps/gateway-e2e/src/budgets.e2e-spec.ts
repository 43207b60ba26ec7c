import { startMockUpstream, type MockUpstream } from '@synapse/testing';
import OpenAI from 'openai';
import { login } from './support/admin-session';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';
import { apiError, failWithSdkRetries } from './support/openai-calls';
import { sqliteRows } from './support/sqlite-rows';

const BUDGET_KEY = 'sk-tiny-budget-0123456789abcdef';
const TEAMMATE_A = 'sk-user-key-a-0123456789abcdef';
const TEAMMATE_B = 'sk-user-key-b-0123456789abcdef';
const CAPPED_KEY = 'sk-capped-calls-0123456789abcdef';
const DOLLAR_KEY = 'sk-one-dollar-0123456789abcdef';

// The mock upstream reports 11 prompt and 6 completion tokens: $11 + $12 per million = $0.000023 a call.
// Before a call its worst case is reserved: the prompt at 4 bytes a token (about 17 tokens here,
// $0.000017) and every choice's output up to its token limit.
const config = (upstreamUrl: string) => `
channels:
  - { name: mock, baseUrl: "${upstreamUrl}", models: [gpt-4o-mini] }
prices:
  "gpt-4o*": { input: 1, output: 2 }
users:
  - { email: dev@example.com, limits: { rpm: 3 } }
keys:
  - { name: tiny-budget, key: ${BUDGET_KEY}, limits: { dailyBudgetUsd: 0.00003 } }
  - { name: capped, key: ${CAPPED_KEY}, limits: { maxTokensPerCall: 100, maxChoicesPerCall: 2 } }
  - { name: one-dollar, key: ${DOLLAR_KEY}, limits: { dailyBudgetUsd: 1 } }
  - { name: dev-a, key: ${TEAMMATE_A}, user: dev@example.com }
  - { name: dev-b, key: ${TEAMMATE_B}, user: dev@example.com, limits: { rpm: 100 } }
`;

/** Spend budgets from model prices, limits of a user over all their keys, and the admin rate limit. */
describe('budgets and user limits', () => {
  let upstream: MockUpstream;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    upstream = await startMockUpstream();
    gateway = await startGateway({
      config: config(upstream.url),
      env: { HEALTH_CHECK_INTERVAL_MS: '0', ADMIN_RATE_LIMIT_PER_MINUTE: '3' },
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (gateway) removeDir(gateway.dataDir);
  });

  const clientOf = (key: string, g = gateway) => new OpenAI({ apiKey: key, baseURL: g.baseURL, maxRetries: 0 });
  const ask = (client: OpenAI) =>
    client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });

  it('admits a call while budget is left, then refuses with insufficient_quota, also after a restart', async () => {
    const client = clientOf(BUDGET_KEY);
    const { request_id } = await ask(client).withResponse();
    // The cost is charged after the answer, on a later turn of the event loop.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const calls = upstream.requests.length;
    const error = await apiError(ask(client));
    expect(error.status).toBe(429);
    expect(error.code).toBe('insufficient_quota');
    expect(error.type).toBe('insufficient_quota');
    expect(error.message).toContain('daily budget');
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(upstream.requests.length).toBe(calls);

    await gateway.stop();
    const rows = sqliteRows<{ cost_usd: number | null }>(
      gateway.dataDir,
      `SELECT cost_usd FROM request_logs WHERE id = '${request_id}'`,
    );
    expect(rows[0].cost_usd).toBeCloseTo(0.000023, 12);

    // Same SQLite file, fresh process: the day's spend comes back from the request log.
    gateway = await startGateway({
      dataDir: gateway.dataDir,
      config: config(upstream.url),
      env: { HEALTH_CHECK_INTERVAL_MS: '0', ADMIN_RATE_LIMIT_PER_MINUTE: '3' },
    });
    const again = await apiError(ask(clientOf(BUDGET_KEY)));
    expect(again.status).toBe(429);
    expect(again.code).toBe('insufficient_quota');

    // The SDK retries a 429 twice by default; `x-should-retry: false` spares it two more refusals.
    const { error: refused, sent } = await failWithSdkRetries(gateway.baseURL, BUDGET_KEY, ask);
    expect([refused.code, refused.headers?.get('x-should-retry'), sent]).toEqual(['insufficient_quota', 'false', 1]);
  });

  it('refuses a huge n before the upstream is called (the gateway caps choices at 16 by default)', async () => {
    const calls = upstream.requests.length;
    const error = await apiError(
      clientOf(TEAMMATE_A).chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
        n: 100_000,
      }),
    );
    expect([error.status, error.code, error.param]).toEqual([400, 'too_many_choices', 'n']);
    expect(upstream.requests.length).toBe(calls);
  });

  it("holds a key's per-call caps: more is refused, and a call that names no limit gets the cap", async () => {
    const client = clientOf(CAPPED_KEY);
    const tooLong = await apiError(
      client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
        max_completion_tokens: 5000,
      }),
    );
    expect([tooLong.status, tooLong.code, tooLong.param]).toEqual([
      400,
      'max_tokens_too_large',
      'max_completion_tokens',
    ]);
    const tooMany = await apiError(
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], n: 3 }),
    );
    expect(tooMany.code).toBe('too_many_choices');
    await ask(client);
    expect(upstream.requests.at(-1)?.body['max_completion_tokens']).toBe(100);
  });

  it('reserves the worst case of a call against the budget: a big n × max_tokens cannot overspend it', async () => {
    const client = clientOf(DOLLAR_KEY);
    const calls = upstream.requests.length;
    // 16 choices × 40,000 tokens at $2 per million could cost $1.28: more than the $1 budget.
    const error = await apiError(
      client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
        n: 16,
        max_completion_tokens: 40_000,
      }),
    );
    expect([error.status, error.code]).toEqual([429, 'insufficient_quota']);
    expect(upstream.requests.length).toBe(calls);
    // Within the budget it passes, and only what it really cost stays spent.
    await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      n: 16,
      max_completion_tokens: 20_000,
    });
    await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      n: 16,
      max_completion_tokens: 20_000,
    });
  });

  it("counts both keys of a user against the user's requests per minute", async () => {
    const [a, b] = [clientOf(TEAMMATE_A), clientOf(TEAMMATE_B)];
    await ask(a);
    await ask(b);
    await ask(a);
    const error = await apiError(ask(b));
    expect(error.status).toBe(429);
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.message).toContain("API key's user");
    expect(error.headers?.get('x-ratelimit-limit-requests')).toBe('3');
  });

  it('limits sign-in attempts per address with ThrottlerGuard: 429 with Retry-After', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await login(gateway.url, 'nobody@example.com', 'wrong-password');
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 3)).not.toContain(429);
    expect(statuses[3]).toBe(429);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    // Probes are never throttled.
    expect((await fetch(`${gateway.url}/health/ready`)).status).toBe(200);
  });

  it('limits GraphQL operations per address too, answered as a GraphQL error with the wait', async () => {
    const codes: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ me { id } }' }),
      });
      const body = (await response.json()) as { errors?: { extensions?: Record<string, unknown> }[] };
      codes.push(body.errors?.[0]?.extensions?.['code']);
    }
    expect(codes.slice(0, 3)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED']);
    expect(codes[3]).toBe('TOO_MANY_REQUESTS');
  });
});
