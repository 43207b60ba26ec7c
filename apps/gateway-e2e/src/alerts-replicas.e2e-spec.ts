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
import { startAlertReceiver, until, type AlertReceiver } from './support/alert-receivers';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';

const KEY = 'sk-alerts-replicas-0123456789abcd';
const SECRET = 'whsec-replicas';
/**
 * Two replicas start on a fresh database and the test waits twice for deliveries (30 s each at
 * most): on a loaded machine that can pass Jest's 30 s for the whole test while nothing is wrong.
 */
const SUITE_TIMEOUT_MS = 90_000;

/**
 * Two gateway processes on one PostgreSQL evaluate the same rules every 100 ms. With Redis one of
 * them takes each round; without it both evaluate and the compare-and-set of the alert state lets
 * one notify. Either way every firing and every resolve arrives once.
 */
describeWithPostgres.each([
  ['with Redis', true],
  ['without Redis', false],
])('alerts on two replicas on one PostgreSQL %s', (_name, withRedis) => {
  const database = `synapse_alerts_${withRedis ? 'redis' : 'pg'}_${process.pid}`;
  const databaseUrl = POSTGRES_URL.replace(/\/[^/]*$/, `/${database}`);
  let upstream: MockUpstream;
  let receiver: AlertReceiver;
  const replicas: GatewayProcess[] = [];

  beforeAll(async () => {
    if (withRedis && !redisAvailable) throw new Error('this suite needs Redis');
    await runPostgres(`DROP DATABASE IF EXISTS ${database}`);
    await runPostgres(`CREATE DATABASE ${database}`);
    upstream = await startMockUpstream();
    receiver = await startAlertReceiver('webhook', SECRET);
    const config = `
channels:
  - { name: mock, baseUrl: "${upstream.url}", models: [gpt-4o-mini, gpt-4o] }
keys:
  - { name: replicas, key: ${KEY} }
notificationChannels:
  - { name: hook, kind: webhook, webhookUrl: "${receiver.url}/hook", secret: ${SECRET} }
alerts:
  - { name: quiet-mini, kind: no_traffic, window: 1h, scope: { model: gpt-4o-mini }, notify: [hook] }
  - { name: quiet-4o, kind: no_traffic, window: 1h, scope: { model: gpt-4o }, notify: [hook] }
`;
    const env = {
      DATABASE_URL: databaseUrl,
      ...(withRedis && { REDIS_URL }),
      ALERT_EVALUATION_INTERVAL_MS: '100',
      HEALTH_CHECK_INTERVAL_MS: '0',
    };
    replicas.push(await startGateway({ config, env }));
    replicas.push(await startGateway({ config, env }));
  }, SUITE_TIMEOUT_MS);

  afterAll(async () => {
    for (const replica of replicas.splice(0)) {
      await replica.stop();
      removeDir(replica.dataDir);
    }
    await Promise.all([upstream?.close(), receiver?.close()]);
    await runPostgres(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  const events = (rule: string) =>
    receiver.delivered
      .filter((d) => (d.body['rule'] as { name: string }).name === rule)
      .map((d) => `${d.body['event']}${d.accepted ? '' : ' (bad signature)'}`);

  it(
    'notifies each firing and each resolve once',
    async () => {
      await until(() => {
        expect(events('quiet-mini')).toEqual(['firing']);
        expect(events('quiet-4o')).toEqual(['firing']);
      });
      // A call through each replica resolves one rule each.
      const [a, b] = replicas.map((r) => new OpenAI({ apiKey: KEY, baseURL: r.baseURL, maxRetries: 0 }));
      await a.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
      await b.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
      await until(() => {
        expect(events('quiet-mini')).toEqual(['firing', 'resolved']);
        expect(events('quiet-4o')).toEqual(['firing', 'resolved']);
      });
      // Many more rounds on both replicas: nothing more arrives.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(receiver.delivered).toHaveLength(4);
    },
    SUITE_TIMEOUT_MS,
  );
});
