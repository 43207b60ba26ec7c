import { setTimeout as sleep } from 'node:timers/promises';
import { UpstreamClient } from './upstream-client';
import { errorReading, failureOf, localTarget, localUpstreams, trickle } from './testing/local-upstream';
import type { UpstreamTarget } from './upstream-target';

// Timeouts are small so that the specs stay fast; assertions are on which failure came, never on
// how long it took, so that a slow machine cannot make them flaky.

function call(client: UpstreamClient, target: UpstreamTarget) {
  return client.call({ target, path: '/chat/completions', headers: {}, body: '{}' });
}

describe(`${UpstreamClient.name} timeouts`, () => {
  const local = localUpstreams();

  it('connect: a connection not established within connectMs fails as a timeout while connecting', async () => {
    // Over TLS the connection is established once the handshake is done, which a server that
    // accepts and stays silent never lets happen: deterministic on loopback, unlike a full backlog.
    const silent = await local.silentServer();
    const target = localTarget(`https://127.0.0.1:${silent.port}/v1`, { connectMs: 100 });
    const failure = await failureOf(call(local.client(), target).response);
    expect(failure.kind).toBe('timeout');
    expect(failure.message).toBe('upstream timed out while connecting');
  });

  it('first byte: a server that accepts the request but sends no headers within firstByteMs', async () => {
    const upstream = await local.upstream();
    const failure = await failureOf(call(local.client(), localTarget(upstream.url, { firstByteMs: 100 })).response);
    expect(failure.kind).toBe('timeout');
    expect(failure.message).toBe('upstream timed out while waiting for the first byte');
    expect(await (await upstream.request(0)).ended).toEqual({ complete: false });
  });

  it('first byte: a body that stalls for longer than firstByteMs between chunks', async () => {
    const upstream = await local.upstream(({ res }) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
    });
    const pending = call(local.client(), localTarget(upstream.url, { firstByteMs: 100 }));
    const response = await pending.response;
    const failure = pending.classify(await errorReading(response.body));
    expect(failure.kind).toBe('timeout');
    expect(failure.message).toBe('upstream timed out while reading the response');
    expect(await (await upstream.request(0)).ended).toEqual({ complete: false });
  });

  it('total: no headers within totalMs, although firstByteMs has not passed', async () => {
    const upstream = await local.upstream();
    const target = localTarget(upstream.url, { firstByteMs: 10_000, totalMs: 100 });
    const failure = await failureOf(call(local.client(), target).response);
    expect(failure.kind).toBe('timeout');
    expect(failure.message).toBe('upstream did not finish in time');
    expect(await (await upstream.request(0)).ended).toEqual({ complete: false });
  });

  it('total: a body still streaming (each chunk well within firstByteMs) when totalMs has passed', async () => {
    const upstream = await local.upstream(trickle);
    const pending = call(local.client(), localTarget(upstream.url, { firstByteMs: 10_000, totalMs: 150 }));
    const response = await pending.response;
    const failure = pending.classify(await errorReading(response.body));
    expect(failure.kind).toBe('timeout');
    expect(failure.message).toBe('upstream did not finish in time');
    expect(await (await upstream.request(0)).ended).toEqual({ complete: false });
  });

  it('total: counts the time a call waits behind a busy pool', async () => {
    const upstream = await local.upstream();
    const client = local.client(1);
    const busy = call(client, localTarget(upstream.url));
    const queued = call(client, localTarget(upstream.url, { totalMs: 100 }));
    const held = await upstream.request(0);

    const order: string[] = [];
    const busyAnswered = busy.response.then(() => order.push('busy call answered'));
    const failed = failureOf(queued.response).then((failure) => (order.push('queued call failed'), failure));
    // The busy call is answered as soon as the queued one has failed, or after a second if it has not.
    const release = setTimeout(() => held.res.end('{}'), 1_000);
    void failed.then(() => {
      clearTimeout(release);
      held.res.end('{}');
    });
    const failure = await failed;
    expect(failure.kind).toBe('timeout');
    expect(failure.message).toBe('upstream did not finish in time');
    await busyAnswered;
    expect(order).toEqual(['queued call failed', 'busy call answered']);
  });

  it('finish() stops the total timer: the body is read to its end well after totalMs', async () => {
    const upstream = await local.upstream(trickle);
    const totalMs = 50;
    const pending = call(local.client(), localTarget(upstream.url, { firstByteMs: 10_000, totalMs }));
    const response = await pending.response;
    pending.finish();
    const text = response.body.text();
    // Timers fire in order: had the total timer still been running, it would have fired first.
    await sleep(totalMs * 3);
    (await upstream.request(0)).res.end('data: [DONE]\n\n');
    expect(await text).toMatch(/^data: first\n\n(data: more\n\n)*data: \[DONE\]\n\n$/);
    expect(await (await upstream.request(0)).ended).toEqual({ complete: true });
  });

  it('probe: a health check not answered within its time fails as a timeout, not as unreachable', async () => {
    const upstream = await local.upstream();
    const failure = await failureOf(local.client().probe(localTarget(upstream.url), '/models', {}, 100));
    expect(failure.kind).toBe('timeout');
    expect(failure.message).toBe('upstream did not finish in time');
  });
});
