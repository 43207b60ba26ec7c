import { UpstreamClient } from './upstream-client';
import { failureOf, localTarget, localUpstreams, trickle } from './testing/local-upstream';
import type { UpstreamTarget } from './upstream-target';
import { parseRawHeaders } from './dispatched-call';

// The same promises as the streamed calls (upstream-client.*.spec.ts), for calls made with
// `whole: true`: the answer settles once its body is in, and a failure while reading the body
// rejects the answer itself. Aborts are in upstream-client.abort.spec.ts, for both kinds.

function call(client: UpstreamClient, target: UpstreamTarget, body = '{}') {
  return client.call({ target, path: '/chat/completions', headers: { 'x-test': 'yes' }, body, whole: true });
}

describe('UpstreamClient whole-body calls', () => {
  const local = localUpstreams();

  it('sends the request as given and settles with the status, the headers and the whole body', async () => {
    const upstream = await local.upstream(({ res }) => {
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.setHeader('x-ratelimit-remaining', ['10', '9']);
      res.writeHead(201);
      res.write('{"part":');
      setTimeout(() => res.end('"two"}'), 20);
    });
    const pending = call(local.client(), localTarget(upstream.url), '{"model":"m"}');
    const response = await pending.response;
    const received = await upstream.request(0);
    expect(received.body).toBe('{"model":"m"}');
    expect(received.req.headers['x-test']).toBe('yes');
    expect(response.statusCode).toBe(201);
    // One header read without parsing the others, then all of them.
    expect(response.header?.('content-type')).toBe('application/json; charset=utf-8');
    expect(response.header?.('x-ratelimit-remaining')).toBe('10');
    expect(response.header?.('retry-after')).toBeUndefined();
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['x-ratelimit-remaining']).toEqual(['10', '9']);
    const bytes = await response.body.bytes();
    expect(bytes.toString()).toBe('{"part":"two"}');
    // The bytes as received, handed over without a copy (a copy per call was measured on the hot path).
    expect(await response.body.bytes()).toBe(bytes);
    expect(await response.body.text()).toBe('{"part":"two"}');
    const chunks: string[] = [];
    for await (const chunk of response.body) chunks.push(Buffer.from(chunk).toString());
    expect(chunks).toEqual(['{"part":"two"}']);
    pending.finish();
  });

  it('an error status comes with its body, and the connection is kept for the next call', async () => {
    const upstream = await local.upstream(({ res }) => {
      res.writeHead(429, { 'retry-after': '3', 'content-type': 'application/json' });
      res.end('{"error":{"message":"slow down"}}');
    });
    const client = local.client();
    const target = localTarget(upstream.url);
    const first = await call(client, target).response;
    expect(first.statusCode).toBe(429);
    expect(first.headers['retry-after']).toBe('3');
    expect(await first.body.text()).toBe('{"error":{"message":"slow down"}}');
    await first.body.dump();
    await new Promise((resolve) => setImmediate(resolve));
    expect((await call(client, target).response).statusCode).toBe(429);
    expect(upstream.connectionsAccepted).toBe(1);
  });

  it('an empty body reads as empty', async () => {
    const upstream = await local.upstream(({ res }) => res.writeHead(204).end());
    const response = await call(local.client(), localTarget(upstream.url)).response;
    expect(response.statusCode).toBe(204);
    expect(await response.body.text()).toBe('');
    expect((await response.body.bytes()).length).toBe(0);
  });

  it('an informational answer (103 Early Hints) is passed over for the answer that follows', async () => {
    const upstream = await local.upstream(({ res }) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload' });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const response = await call(local.client(), localTarget(upstream.url)).response;
    expect(response.statusCode).toBe(200);
    expect(await response.body.text()).toBe('{"ok":true}');
  });

  it('a reset mid-body fails the answer as unreachable', async () => {
    const upstream = await local.upstream(({ res }) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"cut":');
      setTimeout(() => res.destroy(), 10);
    });
    const failure = await failureOf(call(local.client(), localTarget(upstream.url)).response);
    expect(failure.kind).toBe('unreachable');
    expect(failure.message).toBe('upstream closed the connection');
  });

  it('a body that stalls past firstByteMs fails as a timeout while reading the response', async () => {
    const upstream = await local.upstream(({ res }) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"stalled":');
    });
    const failure = await failureOf(call(local.client(), localTarget(upstream.url, { firstByteMs: 100 })).response);
    expect(failure.kind).toBe('timeout');
    expect(failure.message).toBe('upstream timed out while reading the response');
    expect(await (await upstream.request(0)).ended).toEqual({ complete: false });
  });

  it('total: a body still arriving when totalMs has passed fails as a timeout', async () => {
    const upstream = await local.upstream(trickle);
    const failure = await failureOf(
      call(local.client(), localTarget(upstream.url, { firstByteMs: 10_000, totalMs: 150 })).response,
    );
    expect(failure.kind).toBe('timeout');
    expect(failure.message).toBe('upstream did not finish in time');
    expect(await (await upstream.request(0)).ended).toEqual({ complete: false });
  });

  it('an answer past maxAnswerBytes fails as the upstream’s, and the call ends without reading the rest', async () => {
    const upstream = await local.upstream(({ res }) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // Without end: only a call that stops reading lets this test finish.
      const ticker = setInterval(() => res.write(Buffer.alloc(16 * 1024, 'x')), 1);
      res.once('close', () => clearInterval(ticker));
    });
    const failure = await failureOf(call(local.client(4, 100_000), localTarget(upstream.url)).response);
    expect(failure.kind).toBe('invalid_response');
    expect(failure.message).toContain('larger than MAX_ANSWER_BYTES (100000 bytes)');
    expect(await (await upstream.request(0)).ended).toEqual({ complete: false });
  });

  it('an unreachable upstream fails as unreachable', async () => {
    const upstream = await local.upstream();
    const target = localTarget(upstream.url);
    await upstream.close();
    const failure = await failureOf(call(local.client(), target).response);
    expect(failure.kind).toBe('unreachable');
  });
});

describe('parseRawHeaders', () => {
  it('lower-cases names, keeps repeats in order, and treats __proto__ as a header', () => {
    const raw = ['Content-Type', 'application/json', 'Set-Cookie', 'a=1', 'set-cookie', 'b=2', '__proto__', 'x'].map(
      (s) => Buffer.from(s),
    );
    const headers = parseRawHeaders(raw);
    expect(headers['content-type']).toBe('application/json');
    expect(headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(headers['__proto__' as 'content-type']).toBe('x');
    expect(Object.keys(headers)).toEqual(['content-type', 'set-cookie', '__proto__']);
  });
});
