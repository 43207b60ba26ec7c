import {
  describeWithPostgres,
  POSTGRES_URL,
  runPostgres,
  startMockUpstream,
  startTcpCable,
  type MockUpstream,
  type TcpCable,
} from '@synapse/testing';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { accessToken } from './support/admin-session';
import { eventually } from './support/eventually';
import { freePort, removeDir, startGateway, tempDir, type GatewayProcess } from './support/gateway-process';
import { readRequestLog } from './support/request-log';

const KEY = 'sk-fault-pg-0123456789abcdef0123';

/**
 * PostgreSQL becomes unreachable (every connection reset, new ones refused) and comes back
 * (docs/deployment.md#faults). The proxy keeps serving from memory; request-log entries wait in
 * memory up to REQUEST_LOG_MAX_QUEUED and on disk past it, and all reach the database on its
 * return, also across a SIGTERM during the outage; the admin API answers 503 meanwhile.
 */
describeWithPostgres('PostgreSQL stops and comes back', () => {
  const database = `synapse_fault_${process.pid}`;
  let cable: TcpCable;
  let upstream: MockUpstream;
  let gateway: GatewayProcess;
  let databaseUrl: string;
  const dataDir = tempDir();
  let sent = 0;
  const direct = POSTGRES_URL.replace(/\/[^/]*$/, `/${database}`);

  const start = async () => {
    gateway = await startGateway({
      dataDir,
      config: `
channels:
  - { name: mock, baseUrl: "${upstream.url}", models: [gpt-4o-mini] }
keys:
  - { name: k, key: ${KEY} }
`,
      env: { DATABASE_URL: databaseUrl, HEALTH_CHECK_INTERVAL_MS: '0', REQUEST_LOG_MAX_QUEUED: '5' },
    });
  };

  beforeAll(async () => {
    await runPostgres(`DROP DATABASE IF EXISTS ${database}`);
    await runPostgres(`CREATE DATABASE ${database}`);
    const target = new URL(POSTGRES_URL);
    cable = await startTcpCable({ host: target.hostname, port: Number(target.port || 5432) }, await freePort());
    databaseUrl = direct.replace(`${target.host}`, `127.0.0.1:${cable.port}`);
    upstream = await startMockUpstream();
    await start();
  });

  afterAll(async () => {
    await gateway?.stop();
    removeDir(dataDir);
    await upstream?.close();
    await cable?.close();
    await runPostgres(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  const ask = () => {
    sent++;
    return new OpenAI({ apiKey: KEY, baseURL: gateway.baseURL, maxRetries: 0 }).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
  };
  const rows = async () => (await readRequestLog(dataDir, direct)).length;
  const spilled = () => readdirSync(join(dataDir, 'request-log-spill')).length;

  it('serves calls from memory while the database is unreachable', async () => {
    await ask();
    await eventually(async () => expect(await rows()).toBe(sent), { timeoutMs: 5000, intervalMs: 100 });
    await cable.cut();
    for (let i = 0; i < 20; i++) expect((await ask()).choices[0].message.content).toBeTruthy();
  });

  it('keeps what does not fit in memory on disk', async () => {
    await eventually(() => expect(spilled()).toBeGreaterThan(0), { timeoutMs: 5000, intervalMs: 100 });
  });

  it('answers the admin API with 503 and says the database is down in readiness', async () => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer whatever' },
      body: JSON.stringify({ query: '{ me { email } }' }),
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBeTruthy();
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    const ready = await fetch(`${gateway.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'degraded', checks: { database: 'down' } });
  });

  it('writes every kept entry, from memory and disk, once the database is back', async () => {
    await cable.mend();
    await eventually(async () => expect(await rows()).toBe(sent), { timeoutMs: 15_000, intervalMs: 200 });
    expect(spilled()).toBe(0);
    await eventually(
      async () => expect(await accessToken(gateway.url, 'admin@synapsehub.local', 'e2e-admin-password')).toBeTruthy(),
      {
        timeoutMs: 5000,
        intervalMs: 200,
      },
    );
  });

  it('loses nothing to a SIGTERM during an outage: the next start writes it', async () => {
    await cable.cut();
    for (let i = 0; i < 8; i++) await ask();
    expect(await gateway.stop('SIGTERM')).toBe(0);
    expect(spilled()).toBeGreaterThan(0);
    await cable.mend();
    await start();
    await eventually(async () => expect(await rows()).toBe(sent), { timeoutMs: 15_000, intervalMs: 200 });
    expect(spilled()).toBe(0);
  });
});
