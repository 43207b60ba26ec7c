import { UpstreamClient } from './upstream-client';
import { UpstreamFailure } from './upstream-failure';
import { errorReading, failureOf, localTarget, localUpstreams, trickle } from './testing/local-upstream';
import type { UpstreamTarget } from './upstream-target';

const callerGone = () => new UpstreamFailure('client_closed', 'the caller closed the connection');

// The same promises for both kinds of call: streamed (the answer with its headers) and whole
// (`whole: true`, the answer once its body is in).
describe.each([
  ['streamed', false],
  ['whole-body', true],
])(`${UpstreamClient.name} abort, %s calls`, (_kind, whole) => {
  const local = localUpstreams();

  function call(client: UpstreamClient, target: UpstreamTarget) {
    return client.call({ target, path: '/chat/completions', headers: {}, body: '{}', whole });
  }

  it('before the headers: the call rejects with the given failure and the upstream request ends', async () => {
    const upstream = await local.upstream();
    const pending = call(local.client(), localTarget(upstream.url));
    const received = await upstream.request(0);

    const failure = callerGone();
    pending.abort(failure);
    expect(await failureOf(pending.response)).toBe(failure);
    expect(pending.classify(new Error('anything'))).toBe(failure);
    expect(await received.ended).toEqual({ complete: false });
  });

  it('while the body arrives: reading it fails with the given failure, the upstream request ends', async () => {
    const upstream = await local.upstream(trickle);
    const pending = call(local.client(), localTarget(upstream.url, { firstByteMs: 10_000 }));
    const received = await upstream.request(0);
    const failure = callerGone();
    if (whole) {
      pending.abort(failure);
      expect(await failureOf(pending.response)).toBe(failure);
    } else {
      const chunks = (await pending.response).body[Symbol.asyncIterator]();
      expect(String((await chunks.next()).value)).toBe('data: first\n\n');
      pending.abort(failure);
      expect(pending.classify(await errorReading(chunks))).toBe(failure);
    }
    expect(await received.ended).toEqual({ complete: false });
  });

  it('while queued behind a busy pool: rejects at once, and the request is never sent', async () => {
    const upstream = await local.upstream();
    const client = local.client(1);
    const target = localTarget(upstream.url);
    const busy = call(client, target);
    const queued = call(client, target);
    const held = await upstream.request(0);

    const order: string[] = [];
    const busyAnswered = busy.response.then(() => order.push('busy call answered'));
    const rejected = failureOf(queued.response).then((failure) => (order.push('queued call rejected'), failure));
    const failure = callerGone();
    queued.abort(failure);
    held.res.end('{}');
    expect(await rejected).toBe(failure);
    await busyAnswered;
    expect(order).toEqual(['queued call rejected', 'busy call answered']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(upstream.requests).toHaveLength(1);
  });

  it('keeps the first reason when aborted twice', async () => {
    const upstream = await local.upstream();
    const pending = call(local.client(), localTarget(upstream.url));
    await upstream.request(0);
    const first = callerGone();
    pending.abort(first);
    pending.abort(new UpstreamFailure('timeout', 'later'));
    expect(await failureOf(pending.response)).toBe(first);
  });

  it('after the response was read whole it changes nothing: the connection stays for the next call', async () => {
    const upstream = await local.upstream(({ res }) => res.end('{"ok":true}'));
    const client = local.client();
    const target = localTarget(upstream.url);
    const pending = call(client, target);
    expect(await (await pending.response).body.text()).toBe('{"ok":true}');
    pending.abort(callerGone());
    // The connection is handed back one event-loop turn after the response ended.
    await new Promise((resolve) => setImmediate(resolve));

    const next = call(client, target);
    expect(await (await next.response).body.text()).toBe('{"ok":true}');
    next.finish();
    expect(upstream.connectionsAccepted).toBe(1);
  });
});
