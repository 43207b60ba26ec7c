import { SchedulerRegistry } from '@nestjs/schedule';
import { deriveMasterKey, SecretBox } from '@synapse/crypto';
import { EgressPolicy, sealNotificationSecrets } from '@synapse/gateway/config';
import {
  openStore,
  TypeOrmAlertRuleRepository,
  TypeOrmAlertStateRepository,
  TypeOrmChannelRepository,
  TypeOrmGatewayKeyRepository,
  TypeOrmNotificationChannelRepository,
  TypeOrmNotificationDeliveryRepository,
  TypeOrmRequestLogRepository,
  TypeOrmRequestLogSignalRepository,
  TypeOrmTeamRepository,
  type AlertRule,
  type Store,
} from '@synapse/gateway/persistence';
import { createPostgresSchema, POSTGRES_URL, postgresAvailable, redisAvailable, REDIS_URL } from '@synapse/testing';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertEvaluator } from './alert-evaluator';
import { EvaluationLock } from './evaluation-lock';
import { NotificationDispatcher } from './notification-dispatcher';
import { egressHttpPost } from './notifiers/egress-http-post';
import { HttpDelivery } from './notifiers/http-delivery';
import { NotifierRegistry } from './notifiers/notifier-registry';
import { WebhookNotifier } from './notifiers/webhook.notifier';
import { PercentileSignal, TrafficSignal } from './signals/request-log-signals';
import { RuleSignals } from './signals/rule-signal';
import { startHttpReceiver, type HttpReceiver } from './testing/http-receiver';

const box = new SecretBox(deriveMasterKey('alert-evaluator-spec-secret-0123456789'));
const http = egressHttpPost(new EgressPolicy());
const T0 = new Date('2030-03-01T12:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/** One gateway replica's alerting, on its own connection to the store. */
function replica(store: Store, redis: Redis | null = null, intervalMs = 60_000) {
  const logs = new TypeOrmRequestLogSignalRepository(store);
  const channels = new TypeOrmNotificationChannelRepository(store);
  const deliveries = new TypeOrmNotificationDeliveryRepository(store);
  const dispatcher = new NotificationDispatcher(
    channels,
    deliveries,
    new NotifierRegistry([new WebhookNotifier(new HttpDelivery(http.post, { attempts: 3, baseDelayMs: 5 }))]),
    box,
  );
  const evaluator = new AlertEvaluator(
    { intervalMs },
    new TypeOrmAlertRuleRepository(store),
    new TypeOrmAlertStateRepository(store),
    new RuleSignals([new TrafficSignal(logs), new PercentileSignal(logs)]),
    dispatcher,
    new EvaluationLock(redis),
    new SchedulerRegistry(),
    new TypeOrmChannelRepository(store),
    new TypeOrmGatewayKeyRepository(store),
    new TypeOrmTeamRepository(store),
  );
  return {
    evaluator,
    deliveries,
    states: new TypeOrmAlertStateRepository(store),
    logs: new TypeOrmRequestLogRepository(store),
  };
}

async function seed(store: Store, receiverUrl: string, rule: Partial<AlertRule>): Promise<AlertRule> {
  const channelId = randomUUID();
  await new TypeOrmNotificationChannelRepository(store).save({
    id: channelId,
    name: `hook-${channelId.slice(0, 8)}`,
    kind: 'webhook',
    enabled: true,
    settings: {},
    ...sealNotificationSecrets(box, { webhookUrl: receiverUrl, secret: 'whsec-spec' }),
    createdAt: T0,
    updatedAt: T0,
  });
  return new TypeOrmAlertRuleRepository(store).save({
    id: randomUUID(),
    name: 'quiet',
    description: null,
    enabled: true,
    kind: 'no_traffic',
    scope: { kind: 'model', value: 'gpt-4o-mini' },
    windowSeconds: 3600,
    threshold: null,
    percentile: null,
    budgetPeriod: null,
    minRequests: 1,
    forSeconds: 0,
    repeatIntervalSeconds: 0,
    notificationChannelIds: [channelId],
    createdAt: T0,
    updatedAt: T0,
    ...rule,
  });
}

function call(id: string, createdAt: Date, status = 200) {
  return {
    id,
    createdAt,
    endpoint: 'chat.completions' as const,
    keyId: null,
    userId: null,
    requestedModel: 'gpt-4o-mini',
    routeName: 'gpt-4o-mini',
    channelId: null,
    upstreamModel: 'gpt-4o-mini',
    attempts: 1,
    stream: false,
    status,
    latencyMs: 20,
    ttftMs: null,
    promptTokens: null,
    completionTokens: null,
    totalTokens: null,
    usageSource: null,
    costUsd: null,
    errorClass: null,
    errorMessage: null,
  };
}

const events = (receiver: HttpReceiver) => receiver.requests.map((r) => JSON.parse(r.body).event as string);

afterAll(() => http.close());

describe(`${AlertEvaluator.name} on SQLite`, () => {
  let dir: string;
  let store: Store;
  let receiver: HttpReceiver;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'synapse-alerts-'));
    store = await openStore({ dataDir: dir });
  });
  afterEach(async () => {
    await receiver?.close();
    await store.dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits out `for`, fires once, resolves once, and records each delivery with the answer', async () => {
    // The receiver fails the first attempt: the delivery is retried and arrives once.
    receiver = await startHttpReceiver((_, i) =>
      i === 0 ? { status: 500, body: 'oops' } : { status: 202, body: 'accepted' },
    );
    const rule = await seed(store, `${receiver.url}/hook`, { forSeconds: 60 });
    const { evaluator, deliveries, states, logs } = replica(store);

    await evaluator.evaluateAll(at(0));
    expect(await states.find(rule.id)).toMatchObject({ status: 'pending', value: 0 });
    await evaluator.evaluateAll(at(30));
    expect(receiver.requests).toHaveLength(0);
    await evaluator.evaluateAll(at(60));
    await evaluator.evaluateAll(at(90));
    expect(events(receiver)).toEqual(['firing', 'firing']);
    const [fired] = await deliveries.find({ ruleId: rule.id });
    expect(fired).toMatchObject({ ok: true, attempts: 2, statusCode: 202, response: 'accepted', error: null });

    await logs.insertMany([call('c1', at(100))]);
    await evaluator.evaluateAll(at(120));
    await evaluator.evaluateAll(at(150));
    expect(events(receiver)).toEqual(['firing', 'firing', 'resolved']);
    expect((await states.find(rule.id))?.status).toBe('resolved');
    expect(JSON.parse(receiver.requests[2].body)).toMatchObject({
      event: 'resolved',
      rule: { name: 'quiet', kind: 'no_traffic', scope: 'model gpt-4o-mini' },
      summary: '1 calls in the last 1h',
    });
    expect((await new TypeOrmAlertStateRepository(store).events({ ruleId: rule.id })).map((e) => e.type)).toEqual([
      'resolved',
      'firing',
      'pending',
    ]);
  });

  it('leaves a rule alone in a round that began before its last evaluation', async () => {
    receiver = await startHttpReceiver();
    const rule = await seed(store, receiver.url, {});
    const [early, late] = [replica(store), replica(store)];
    await late.evaluator.evaluateAll(at(0));
    await late.logs.insertMany([call('c1', at(15))]);
    await late.evaluator.evaluateAll(at(20));
    expect(events(receiver)).toEqual(['firing', 'resolved']);
    // A round that started at 12 s, before the call, reaches the rule only now: its window misses
    // the call, and it must not fire the rule again.
    await early.evaluator.evaluateAll(at(12));
    expect(events(receiver)).toEqual(['firing', 'resolved']);
    expect(await late.states.find(rule.id)).toMatchObject({ status: 'resolved', value: 1 });
  });

  it('computes a latency percentile over the window and skips disabled rules', async () => {
    receiver = await startHttpReceiver();
    const rule = await seed(store, receiver.url, {
      name: 'slow',
      kind: 'latency',
      percentile: 50,
      threshold: 100,
      minRequests: 2,
      windowSeconds: 60,
    });
    const off = await seed(store, receiver.url, { name: 'off', enabled: false });
    const { evaluator, states, logs } = replica(store);
    await logs.insertMany([
      { ...call('a', at(1)), latencyMs: 90 },
      { ...call('b', at(2)), latencyMs: 150 },
      { ...call('c', at(3)), latencyMs: 400 },
    ]);
    await evaluator.evaluateAll(at(10));
    expect(await states.find(rule.id)).toMatchObject({ status: 'firing', value: 150 });
    expect(events(receiver)).toEqual(['firing']);
    expect(await states.find(off.id)).toBeNull();
  });
  it('judges ttft only on the calls that streamed', async () => {
    receiver = await startHttpReceiver();
    const rule = await seed(store, receiver.url, {
      name: 'first-token',
      kind: 'ttft',
      percentile: 50,
      threshold: 100,
      minRequests: 2,
      windowSeconds: 60,
    });
    const { evaluator, states, logs } = replica(store);
    await logs.insertMany([
      { ...call('s1', at(1)), stream: true, ttftMs: 500 },
      { ...call('n1', at(2)) },
      { ...call('n2', at(3)) },
    ]);
    await evaluator.evaluateAll(at(10));
    expect(await states.find(rule.id)).toMatchObject({
      status: 'inactive',
      value: null,
      summary: '1 measured calls in 1m: no p50 time to first token',
    });
    await logs.insertMany([{ ...call('s2', at(11)), stream: true, ttftMs: 300 }]);
    await evaluator.evaluateAll(at(20));
    expect(await states.find(rule.id)).toMatchObject({ status: 'firing', value: 400 });
    expect(events(receiver)).toEqual(['firing']);
  });
});

(postgresAvailable ? describe : describe.skip)(`${AlertEvaluator.name}: two replicas on one PostgreSQL`, () => {
  let drop: () => Promise<void>;
  let stores: Store[];
  let receiver: HttpReceiver;
  let redis: Redis[] = [];

  beforeEach(async () => {
    const created = await createPostgresSchema('alerts');
    drop = created.drop;
    stores = [];
    for (let i = 0; i < 2; i++)
      stores.push(await openStore({ dataDir: '', databaseUrl: POSTGRES_URL, schema: created.schema }));
    receiver = await startHttpReceiver();
  });
  afterEach(async () => {
    await receiver.close();
    for (const store of stores) await store.dataSource.destroy();
    for (const client of redis) client.disconnect();
    redis = [];
    await drop();
  });

  /** Rounds of both replicas at once, `pauseMs` apart (longer than a Redis lock lasts). */
  async function raceThroughFiringAndResolve(replicas: ReturnType<typeof replica>[], pauseMs = 0) {
    const rule = await seed(stores[0], receiver.url, {});
    const rounds = async (from: number) => {
      for (let round = from; round < from + 3; round++) {
        await Promise.all(replicas.map((r) => r.evaluator.evaluateAll(at(round))));
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    };
    await rounds(0);
    await replicas[0].logs.insertMany([call('c1', at(5))]);
    await rounds(10);
    expect(events(receiver)).toEqual(['firing', 'resolved']);
    expect(await replicas[1].deliveries.find({ ruleId: rule.id })).toHaveLength(2);
  }

  it('notifies a firing and its resolve once without Redis: the state store decides', async () => {
    await raceThroughFiringAndResolve(stores.map((store) => replica(store)));
  });

  (redisAvailable ? it : it.skip)('lets one replica evaluate a round with Redis', async () => {
    redis = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
    await redis[0].del('synapse:alerts:evaluation');
    const locks = redis.map((client) => new EvaluationLock(client));
    expect((await Promise.all(locks.map((lock) => lock.acquire(200)))).filter(Boolean)).toHaveLength(1);
    // The lock ends by itself: a replica that died hands over at the next round.
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await locks[1].acquire(100)).toBe(true);
    await redis[0].del('synapse:alerts:evaluation');
    await raceThroughFiringAndResolve(
      stores.map((store, i) => replica(store, redis[i], 100)),
      150,
    );
  });
});
