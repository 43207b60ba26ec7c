import { REDIS_URL, describeWithRedis } from '@synapse/testing';
import { LiveWindow, emptyAggregate, statsOf, type LiveSample } from '@synapse/metrics';
import Redis from 'ioredis';
import { RedisLiveShare } from './redis-live-share';

function sample(model: string, overrides: Partial<LiveSample> = {}): LiveSample {
  return {
    requestedModel: model,
    channelId: null,
    routeName: null,
    keyId: null,
    userId: null,
    teamId: null,
    status: 200,
    latencyMs: 150,
    ttftMs: null,
    completionTokens: null,
    ...overrides,
  };
}

/** Two replicas' windows on one real Redis. */
describeWithRedis(RedisLiveShare.name, () => {
  const model = `share-spec-${process.pid}-${Date.now()}`;
  const redis = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
  const windows = [new LiveWindow(), new LiveWindow()];
  const inFlight = [new Map<string, number>(), new Map<string, number>()];
  const shares = redis.map((connection) => new RedisLiveShare(connection, 60_000));

  beforeAll(() => shares.forEach((share, i) => share.start(windows[i], () => ({ model: inFlight[i] }))));

  afterAll(async () => {
    for (const share of shares) await share.stop();
    for (const connection of redis) connection.disconnect();
  });

  it('merges what each replica recorded, read from either, without counting a rewrite twice', async () => {
    windows[0].record(sample(model));
    windows[0].record(sample(model, { status: 503, latencyMs: 2_500 }));
    windows[1].record(sample(model, { latencyMs: 40 }));
    // Replica 1 writes the same aggregates twice (a retried flush): fields are overwritten, not added.
    await shares[1].flush();
    windows[1].unflushed(windows[1].changes());
    for (const share of shares) {
      const merged = await share.collect('model', 60_000);
      const stats = statsOf(merged.get(model) ?? emptyAggregate());
      expect(stats).toMatchObject({ requests: 3, errors: 1 });
      expect(stats.latencyP99Ms).toBeGreaterThan(2_000);
    }
    // A replica reads its own latest calls at once, the others' as of their last periodic write.
    windows[1].record(sample(model));
    expect(statsOf((await shares[1].collect('model', 60_000)).get(model) ?? emptyAggregate()).requests).toBe(4);
    windows[1].record(sample(model));
    expect(statsOf((await shares[0].collect('model', 60_000)).get(model) ?? emptyAggregate()).requests).toBe(4);
    await shares[1].flush();
    expect(statsOf((await shares[0].collect('model', 60_000)).get(model) ?? emptyAggregate()).requests).toBe(5);
  });

  it('sums the replicas’ calls in flight', async () => {
    inFlight[0].set(model, 2);
    inFlight[1].set(model, 3);
    await Promise.all(shares.map((share) => share.flush()));
    expect((await shares[0].inFlight('model')).get(model)).toBe(5);
    inFlight[1].delete(model);
    expect((await shares[1].inFlight('model')).get(model)).toBe(2);
  });
});
