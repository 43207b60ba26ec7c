import { EgressPolicy, UpstreamProxies } from '@synapse/gateway/config';
import { startForwardProxy } from '@synapse/testing';
import { startHttpReceiver, type HttpReceiver } from '../testing/http-receiver';
import { egressHttpPost } from './egress-http-post';
import { HttpDelivery, nonZeroCode } from './http-delivery';

describe(HttpDelivery.name, () => {
  const http = egressHttpPost(new EgressPolicy());
  const delays: number[] = [];
  const delivery = new HttpDelivery(http.post, { attempts: 3, baseDelayMs: 10 }, async (ms) => {
    delays.push(ms);
  });
  let receiver: HttpReceiver | undefined;

  afterEach(async () => {
    delays.length = 0;
    await receiver?.close();
  });
  afterAll(() => http.close());

  it('retries a 5xx answer with exponential backoff and delivers once', async () => {
    receiver = await startHttpReceiver((_, i) =>
      i < 2 ? { status: 503, body: 'busy' } : { status: 200, body: 'thanks' },
    );
    const outcome = await delivery.send(receiver.url, { hello: 'world' });
    expect(outcome).toEqual({ ok: true, attempts: 3, statusCode: 200, response: 'thanks', error: null });
    expect(delays).toEqual([10, 20]);
    expect(receiver.requests.map((r) => JSON.parse(r.body))).toEqual([
      { hello: 'world' },
      { hello: 'world' },
      { hello: 'world' },
    ]);
    expect(receiver.requests[0].headers['content-type']).toBe('application/json');
  });

  it('does not retry a 4xx answer and keeps the first 500 bytes of it', async () => {
    receiver = await startHttpReceiver(() => ({ status: 400, body: 'x'.repeat(2000) }));
    const outcome = await delivery.send(receiver.url, {});
    expect(outcome).toMatchObject({ ok: false, attempts: 1, statusCode: 400, error: 'the receiver answered HTTP 400' });
    expect(outcome.response).toHaveLength(500);
    expect(receiver.requests).toHaveLength(1);
  });

  it('gives up after the last attempt', async () => {
    receiver = await startHttpReceiver(() => ({ status: 500, body: 'down' }));
    expect(await delivery.send(receiver.url, {})).toMatchObject({
      ok: false,
      attempts: 3,
      statusCode: 500,
      response: 'down',
    });
  });

  it('retries network errors', async () => {
    receiver = await startHttpReceiver();
    const url = receiver.url;
    await receiver.close();
    receiver = undefined;
    const outcome = await delivery.send(url, {});
    expect(outcome).toMatchObject({ ok: false, attempts: 3, statusCode: null });
    expect(outcome.error).toMatch(/ECONNREFUSED|connect/i);
  });

  it('fails a 200 answer whose body reports an error code, without retrying', async () => {
    receiver = await startHttpReceiver(() => ({ status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' }));
    const outcome = await delivery.send(receiver.url, {}, {}, nonZeroCode('errcode'));
    expect(outcome).toMatchObject({
      ok: false,
      attempts: 1,
      statusCode: 200,
      error: expect.stringContaining('310000'),
    });
    expect(outcome.response).toContain('sign not match');
  });

  it('never connects to an address the egress policy refuses, and does not retry it', async () => {
    receiver = await startHttpReceiver();
    const strict = egressHttpPost(new EgressPolicy([]));
    try {
      const outcome = await new HttpDelivery(strict.post, { attempts: 3, baseDelayMs: 1 }).send(receiver.url, {});
      expect(outcome).toMatchObject({ ok: false, attempts: 1, statusCode: null });
      expect(outcome.error).toMatch(/refused by the egress policy/);
      expect(receiver.requests).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });

  it('goes through the forward proxy (HTTP_PROXY) where one is set', async () => {
    receiver = await startHttpReceiver();
    const proxy = await startForwardProxy();
    const proxied = egressHttpPost(new EgressPolicy(), new UpstreamProxies(undefined, new URL(proxy.url)));
    try {
      const outcome = await new HttpDelivery(proxied.post, { attempts: 1, baseDelayMs: 1 }).send(receiver.url, {});
      expect(outcome).toMatchObject({ ok: true, statusCode: 200 });
      expect(proxy.connects.map((c) => c.authority)).toEqual([new URL(receiver.url).host]);
    } finally {
      await proxied.close();
      await proxy.close();
    }
  });
});
