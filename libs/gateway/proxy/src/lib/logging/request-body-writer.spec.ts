import { RequestLogRowRefused, type RequestBody } from '@synapse/gateway/persistence';
import { InMemoryRequestBodyRepository } from '@synapse/gateway/persistence/testing';
import { RequestBodyWriter } from './request-body-writer';

/** A store that is down for its first `failures` writes. */
class FlakyBodies extends InMemoryRequestBodyRepository {
  attempts = 0;
  constructor(private failures: number) {
    super();
  }
  override async insertMany(bodies: readonly RequestBody[]): Promise<void> {
    this.attempts++;
    if (this.failures-- > 0) throw new Error('store down');
    await super.insertMany(bodies);
  }
}

/** A store that refuses, for what it holds, any batch with a body whose request is `refused`. */
class RefusingBodies extends InMemoryRequestBodyRepository {
  override async insertMany(bodies: readonly RequestBody[]): Promise<void> {
    if (bodies.some((b) => b.request === 'refused')) throw new RequestLogRowRefused('value out of range (22003)');
    await super.insertMany(bodies);
  }
}

describe(RequestBodyWriter.name, () => {
  const at = new Date(Date.UTC(2030, 0, 1));

  it('redacts and caps in the writer, retries a failed batch, and writes everything before shutdown', async () => {
    const store = new FlakyBodies(2);
    const writer = new RequestBodyWriter(
      store,
      { batchSize: 1000, flushIntervalMs: 60_000 },
      { maxBytes: 300, redact: [] },
    );
    for (let i = 0; i < 3; i++) {
      writer.record(`req_${i}`, at, {
        request: JSON.stringify({ model: 'm', api_key: 'hunter2', messages: [{ content: 'x'.repeat(i * 200) }] }),
        response: Buffer.from(`{"ok":${i}}`),
      });
    }
    await writer.flush();
    expect(store.bodies.size).toBe(0);
    expect(writer.pending).toBe(3);
    await writer.beforeApplicationShutdown();
    expect(writer.pending).toBe(0);
    expect(store.bodies.size).toBe(3);
    const first = await store.findById('req_0');
    expect(first).toEqual({
      requestId: 'req_0',
      createdAt: at,
      request: '{"model":"m","api_key":"[redacted]","messages":[{"content":""}]}',
      response: '{"ok":0}',
      requestTruncated: false,
      responseTruncated: false,
    });
    const long = await store.findById('req_2');
    expect(long?.requestTruncated).toBe(true);
    expect(long?.request).toMatch(/^\{"model":"m","api_key":"\[redacted\]".*…\[truncated \d+ bytes\]$/);
  });

  it('tries a failing store again after its wait, not at the end of every call', async () => {
    let clock = 1_000_000;
    const now = jest.spyOn(Date, 'now').mockImplementation(() => clock);
    try {
      const store = new FlakyBodies(1);
      const writer = new RequestBodyWriter(store, { batchSize: 1, flushIntervalMs: 40 }, { maxBytes: 300, redact: [] });
      const call = (i: number) => writer.record(`req_${i}`, at, { request: '{}', response: '{}' });
      call(0);
      await writer.flush();
      for (let i = 1; i < 30; i++) call(i);
      expect(store.attempts).toBe(1);
      clock += 40;
      call(30);
      expect(store.attempts).toBe(2);
      await writer.flush();
      expect(store.bodies.size).toBe(31);
    } finally {
      now.mockRestore();
    }
  });

  it('drops a body the store refuses for what it holds and writes the rest, then later ones', async () => {
    const store = new RefusingBodies();
    const writer = new RequestBodyWriter(
      store,
      { batchSize: 1000, flushIntervalMs: 60_000 },
      { maxBytes: 300, redact: [] },
    );
    ['{}', 'refused', '[]'].forEach((request, i) => writer.record(`req_${i}`, at, { request, response: null }));
    await writer.flush();
    expect(writer.pending).toBe(0);
    expect([...store.bodies.keys()].sort()).toEqual(['req_0', 'req_2']);
    writer.record('req_later', at, { request: '{}', response: null });
    await writer.flush();
    expect([...store.bodies.keys()].sort()).toEqual(['req_0', 'req_2', 'req_later']);
  });
});
