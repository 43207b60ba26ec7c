import {
  describeWithPostgres,
  POSTGRES_URL,
  redisAvailable,
  REDIS_URL,
  startMockUpstream,
  type MockUpstream,
} from '@synapse/testing';
import OpenAI from 'openai';
import { Client } from 'pg';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';
import { readRequestLog } from './support/request-log';

const KEY = 'sk-multinode-0123456789abcdef01';

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describeWithPostgres('two replicas on PostgreSQL and Redis', () => {
  const database = `synapse_e2e_${process.pid}`;
  const databaseUrl = POSTGRES_URL.replace(/\/[^/]*$/, `/${database}`);
  let upstream: MockUpstream;
  const replicas: GatewayProcess[] = [];

  beforeAll(async () => {
    if (!redisAvailable) throw new Error('this suite needs Redis as well');
    await admin(`DROP DATABASE IF EXISTS ${database}`);
    await admin(`CREATE DATABASE ${database}`);
    upstream = await startMockUpstream();
    const config = `
channels:
  - { name: mock, baseUrl: "${upstream.url}", apiKey: sk-upstream-pg-0000, models: [gpt-4o-mini] }
keys:
  - { name: shared, key: ${KEY} }
`;
    const env = { DATABASE_URL: databaseUrl, REDIS_URL };
    // Replicas start one after the other, as a rolling deploy would; both apply the same file.
    replicas.push(await startGateway({ config, env }));
    replicas.push(await startGateway({ config, env }));
  });

  afterAll(async () => {
    for (const replica of replicas) {
      await replica.stop();
      removeDir(replica.dataDir);
    }
    await upstream?.close();
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  it('reports the database and Redis in readiness', async () => {
    const ready = await (await fetch(`${replicas[0].url}/health/ready`)).json();
    expect(ready).toEqual({ status: 'ok', checks: { database: 'up', redis: 'up' } });
  });

  it('serves the same keys from both replicas and logs every call in the shared store', async () => {
    const ids: string[] = [];
    for (const replica of replicas) {
      const client = new OpenAI({ apiKey: KEY, baseURL: replica.baseURL, maxRetries: 0 });
      for (let i = 0; i < 5; i++) {
        const { data, request_id } = await client.chat.completions
          .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
          .withResponse();
        expect(data.choices[0].message.content).toBe('Hello from the mock upstream.');
        ids.push(request_id as string);
      }
    }
    expect(replicas[1].output()).toContain('no changes');
    await Promise.all(replicas.map((r) => r.stop()));
    const logged = new Set((await readRequestLog('', databaseUrl)).map((e) => e.id));
    expect(ids.filter((id) => !logged.has(id))).toEqual([]);
  });
});
