import {
  describeWithPostgres,
  POSTGRES_URL,
  redisAvailable,
  REDIS_URL,
  runPostgres,
  startMockUpstream,
  type MockUpstream,
} from '@synapse/testing';
import OpenAI from 'openai';
import { accessToken, graphql } from './support/admin-session';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';
import { readRequestLog } from './support/request-log';

const KEYS = ['sk-usage-replica-a-0123456789abcd', 'sk-usage-replica-b-0123456789abcd'];
const OWNER = { email: 'owner@example.com', password: 'e2e-owner-password' };
const CALLS = 24;

/** Polls for up to 20 s. */
async function settled(check: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Two gateway processes on one PostgreSQL database and Redis, both running the rollup job every 200 ms. */
describeWithPostgres('usage rollups and model prices on two replicas (PostgreSQL and Redis)', () => {
  const database = `synapse_usage_e2e_${process.pid}`;
  const databaseUrl = POSTGRES_URL.replace(/\/[^/]*$/, `/${database}`);
  let upstream: MockUpstream;
  const replicas: GatewayProcess[] = [];
  let owner: string;

  beforeAll(async () => {
    if (!redisAvailable) throw new Error('this suite needs Redis as well');
    await runPostgres(`DROP DATABASE IF EXISTS ${database}`);
    await runPostgres(`CREATE DATABASE ${database}`);
    upstream = await startMockUpstream();
    const config = `
channels:
  - { name: mock, baseUrl: "${upstream.url}", models: [replica-model] }
prices:
  "replica-model": { input: 1, output: 1 }
keys:
  - { name: replica-a, key: ${KEYS[0]} }
  - { name: replica-b, key: ${KEYS[1]} }
`;
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      HEALTH_CHECK_INTERVAL_MS: '0',
      LOG_FLUSH_INTERVAL_MS: '50',
      USAGE_ROLLUP_INTERVAL_MS: '200',
      ADMIN_EMAIL: OWNER.email,
      ADMIN_PASSWORD: OWNER.password,
    };
    replicas.push(await startGateway({ config, env }));
    replicas.push(await startGateway({ config, env }));
    owner = await accessToken(replicas[0].url, OWNER.email, OWNER.password);
  });

  afterAll(async () => {
    for (const replica of replicas) {
      await replica.stop();
      removeDir(replica.dataDir);
    }
    await upstream?.close();
    await runPostgres(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  const client = (replica: GatewayProcess, key: string) =>
    new OpenAI({ apiKey: key, baseURL: replica.baseURL, maxRetries: 0 });
  const ask = (replica: GatewayProcess, key: string) =>
    client(replica, key)
      .chat.completions.create({ model: 'replica-model', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();

  it('counts every call exactly once while both replicas keep rolling up', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    // Calls through both replicas, with both keys, several at a time.
    await Promise.all(Array.from({ length: CALLS }, (_, i) => ask(replicas[i % 2], KEYS[Math.floor(i / 2) % 2])));
    const requestsPerKey = async (replica: GatewayProcess) => {
      const body = await graphql(
        replica.url,
        `
          query ($range: UsageRangeInput!) {
            usageTop(range: $range, by: KEY, metric: REQUESTS) {
              group
              requests
              promptTokens
            }
          }
        `,
        owner,
        { range: { from, to: new Date(Date.now() + 120_000).toISOString() } },
      );
      expect(body.errors).toBeUndefined();
      return (body.data?.['usageTop'] as { requests: number; promptTokens: number }[]).map((entry) => [
        entry.requests,
        entry.promptTokens,
      ]);
    };
    await settled(async () =>
      expect(await requestsPerKey(replicas[1])).toEqual([
        [CALLS / 2, (CALLS / 2) * 11],
        [CALLS / 2, (CALLS / 2) * 11],
      ]),
    );
    // Several more runs on both replicas recompute the same buckets: still exact.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await requestsPerKey(replicas[0])).toEqual([
      [CALLS / 2, (CALLS / 2) * 11],
      [CALLS / 2, (CALLS / 2) * 11],
    ]);
    const hourly = await graphql(
      replicas[0].url,
      `
        query ($range: UsageRangeInput!) {
          usageSeries(range: $range, granularity: HOUR) {
            requests
          }
        }
      `,
      owner,
      { range: { from, to: new Date(Date.now() + 120_000).toISOString() } },
    );
    const points = hourly.data?.['usageSeries'] as { requests: number }[];
    expect(points.reduce((sum, point) => sum + point.requests, 0)).toBe(CALLS);
  });

  it('charges a price set on one replica on the other at once (InvalidationBus), no restart', async () => {
    const set = await graphql(
      replicas[0].url,
      'mutation { setModelPrice(input: { model: "replica-*", input: 1000, output: 0 }) { source active } }',
      owner,
    );
    expect(set.errors).toBeUndefined();
    let requestId = '';
    await settled(async () => {
      const { request_id } = await ask(replicas[1], KEYS[1]);
      requestId = request_id as string;
      await settled(async () => {
        const entry = (await readRequestLog(replicas[1].dataDir, databaseUrl)).find((e) => e.id === requestId);
        expect(entry).toBeDefined();
      });
      const entry = (await readRequestLog(replicas[1].dataDir, databaseUrl)).find((e) => e.id === requestId);
      // 11 prompt tokens at $1000 per million; the config file's $1/$1 would give 0.000017.
      expect(entry?.costUsd).toBeCloseTo(0.011, 12);
    });
    const prices = await graphql(replicas[1].url, '{ modelPrices { model source active } }', owner);
    expect(prices.data?.['modelPrices']).toEqual(
      expect.arrayContaining([
        { model: 'replica-*', source: 'runtime', active: true },
        { model: 'replica-model', source: 'config', active: false },
      ]),
    );
  });
});
