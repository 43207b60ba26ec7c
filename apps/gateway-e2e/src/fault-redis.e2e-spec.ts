import { startMockUpstream, startOwnedRedis, type MockUpstream, type OwnedRedis } from '@synapse/testing';
import Redis from 'ioredis';
import OpenAI from 'openai';
import { eventually } from './support/eventually';
import { freePort, removeDir, startGateway, type GatewayProcess } from './support/gateway-process';
import { apiError } from './support/openai-calls';
import { readRequestLog } from './support/request-log';

const LIMITED_KEY = 'sk-fault-limited-0123456789abcdef';
const FREE_KEY = 'sk-fault-free-0123456789abcdef01';

/**
 * Redis stops (SIGKILL) and comes back empty while calls keep coming (docs/deployment.md, "When
 * Redis or the database is down"). Open mode (the default) serves on each replica's own counters;
 * closed mode refuses calls that have limits; neither crashes or loses a log row, and the spend
 * counters are seeded again from the request log when Redis is back.
 */
describe('Redis stops and comes back', () => {
  let redis: OwnedRedis;
  let upstream: MockUpstream;
  let open: GatewayProcess;
  let closed: GatewayProcess;
  const sent = { open: 0, closed: 0 };

  const config = (upstreamUrl: string) => `
channels:
  - { name: mock, baseUrl: "${upstreamUrl}", models: [gpt-4o-mini] }
prices:
  gpt-4o-mini: { input: 0.15, output: 0.6 }
keys:
  - { name: limited, key: ${LIMITED_KEY}, limits: { rpm: 1000, concurrency: 5, dailyBudgetUsd: 100 } }
  - { name: free, key: ${FREE_KEY} }
`;

  beforeAll(async () => {
    redis = await startOwnedRedis(await freePort());
    upstream = await startMockUpstream();
    const env = { REDIS_URL: redis.url, HEALTH_CHECK_INTERVAL_MS: '0' };
    open = await startGateway({ config: config(upstream.url), env });
    closed = await startGateway({ config: config(upstream.url), env: { ...env, LIMITS_WHEN_REDIS_DOWN: 'closed' } });
  });

  afterAll(async () => {
    for (const gateway of [open, closed]) {
      await gateway?.stop();
      if (gateway) removeDir(gateway.dataDir);
    }
    await upstream?.close();
    await redis?.kill();
  });

  const ask = (gateway: GatewayProcess, key: string) => {
    sent[gateway === open ? 'open' : 'closed']++;
    return new OpenAI({ apiKey: key, baseURL: gateway.baseURL, maxRetries: 0 }).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
  };

  const spendKeys = async () => {
    const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await client.connect();
      return await client.keys('synapse:spend:key:*:day:*');
    } finally {
      client.disconnect();
    }
  };

  it('counts limits in Redis while it is up', async () => {
    await ask(open, LIMITED_KEY);
    await ask(closed, LIMITED_KEY);
    expect((await spendKeys()).length).toBeGreaterThan(0);
  });

  it('keeps serving on local counters when Redis dies (open mode)', async () => {
    await redis.kill();
    const started = Date.now();
    for (let i = 0; i < 20; i++) {
      const answer = await ask(open, i % 2 ? LIMITED_KEY : FREE_KEY);
      expect(answer.choices[0].message.content).toBeTruthy();
    }
    // No call waits for Redis's reconnect attempts.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(open.child.exitCode).toBeNull();
  });

  it('refuses limited calls with 503 and Retry-After, and serves the others (closed mode)', async () => {
    const error = await apiError(ask(closed, LIMITED_KEY));
    expect(error.status).toBe(503);
    expect(error.code).toBe('limits_unavailable');
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThan(0);
    const answer = await ask(closed, FREE_KEY);
    expect(answer.choices[0].message.content).toBeTruthy();
  });

  it('stays ready, degraded, so that load balancers keep sending calls', async () => {
    const ready = await fetch(`${open.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'degraded', checks: { database: 'up', redis: 'down' } });
  });

  it('uses Redis again once it is back, with the spend seeded from the request log', async () => {
    await redis.start();
    await eventually(
      async () => expect(await (await fetch(`${open.url}/health/ready`)).json()).toMatchObject({ status: 'ok' }),
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    // Redis came back empty: the day's spend is read again from the request log.
    await eventually(async () => expect((await spendKeys()).length).toBeGreaterThan(0), {
      timeoutMs: 10_000,
      intervalMs: 200,
    });
    const answer = await ask(closed, LIMITED_KEY);
    expect(answer.choices[0].message.content).toBeTruthy();
  });

  it('logged every call, refused ones included', async () => {
    await eventually(
      async () => {
        expect((await readRequestLog(open.dataDir)).length).toBe(sent.open);
        expect((await readRequestLog(closed.dataDir)).length).toBe(sent.closed);
      },
      { timeoutMs: 5000, intervalMs: 100 },
    );
    expect(open.output()).not.toMatch(/Unhandled|TypeError/);
  });
});
