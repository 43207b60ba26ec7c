import { UpstreamClient } from './upstream-client';
import { failureOf, localTarget, localUpstreams, writeUntilDone } from './testing/local-upstream';
import type { UpstreamTarget } from './upstream-target';

// What streamed calls add to the promises of upstream-client.*.spec.ts: a reader that falls
// behind holds the upstream back instead of queueing without bound, and a reader that stops
// early ends the upstream request.

function call(client: UpstreamClient, target: UpstreamTarget) {
  return client.call({ target, path: '/chat/completions', headers: {}, body: '{}' });
}

const CHUNK = Buffer.alloc(16 * 1024, 'x');

describe('UpstreamClient streamed calls', () => {
  const local = localUpstreams();

  it('a reader that does not read pauses the upstream; reading on gets every byte in order', async () => {
    const total = 256;
    let written = 0;
    let backedUp = false;
    const upstream = await local.upstream(({ res }) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const next = () => {
        if (written >= total) return undefined;
        const chunk = Buffer.from(CHUNK);
        chunk.writeUInt32BE(written, 0);
        written++;
        return chunk;
      };
      writeUntilDone(res, next, () => (backedUp = true));
    });
    const pending = call(local.client(), localTarget(upstream.url, { firstByteMs: 10_000 }));
    const response = await pending.response;
    // 4 MB to send; nothing read: the gateway's queue fills, the socket pauses, the upstream backs up.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(backedUp).toBe(true);
    expect(written).toBeLessThan(total);

    const body = await response.body.bytes();
    pending.finish();
    expect(body.length).toBe(total * CHUNK.length);
    for (let i = 0; i < total; i++) expect(body.readUInt32BE(i * CHUNK.length)).toBe(i);
  });

  it('an informational answer (103 Early Hints) is passed over: the stream is the answer that follows', async () => {
    const upstream = await local.upstream(({ res }) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload' });
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end('data: [DONE]\n\n');
    });
    const response = await call(local.client(), localTarget(upstream.url)).response;
    expect(response.statusCode).toBe(200);
    expect(await response.body.text()).toBe('data: [DONE]\n\n');
  });

  it('peek() shows the first chunk and leaves it to the reader', async () => {
    const upstream = await local.upstream(({ res }) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');
      setTimeout(() => res.end('data: two\n\n'), 20);
    });
    const pending = call(local.client(), localTarget(upstream.url));
    const { body } = await pending.response;
    expect(String(await body.peek?.())).toBe('data: one\n\n');
    expect(String(await body.peek?.())).toBe('data: one\n\n');
    expect(await body.text()).toBe('data: one\n\ndata: two\n\n');
    expect(await body.peek?.()).toBeUndefined();
    pending.finish();
  });

  it('a reader that stops early (break) ends the upstream request', async () => {
    const upstream = await local.upstream(({ res }) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const ticker = setInterval(() => res.write('data: more\n\n'), 5);
      res.once('close', () => clearInterval(ticker));
    });
    const pending = call(local.client(), localTarget(upstream.url));
    const response = await pending.response;
    for await (const chunk of response.body) {
      expect(Buffer.from(chunk).toString()).toContain('data: more');
      break;
    }
    pending.finish();
    expect(await (await upstream.request(0)).ended).toEqual({ complete: false });
  });

  it('dump() of a large unwanted body reads a part and ends the call', async () => {
    const upstream = await local.upstream(({ res }) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      const ticker = setInterval(() => res.write(CHUNK), 1);
      res.once('close', () => clearInterval(ticker));
    });
    const pending = call(local.client(), localTarget(upstream.url));
    const response = await pending.response;
    expect(response.statusCode).toBe(500);
    await response.body.dump();
    pending.finish();
    expect(await (await upstream.request(0)).ended).toEqual({ complete: false });
  });

  it('bytes() and text() of a body past maxAnswerBytes fail as the upstream’s and end the call', async () => {
    const upstream = await local.upstream(({ res }) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const ticker = setInterval(() => res.write(CHUNK), 1);
      res.once('close', () => clearInterval(ticker));
    });
    const client = local.client(4, 100_000);
    for (const read of ['bytes', 'text'] as const) {
      const pending = call(client, localTarget(upstream.url));
      const response = await pending.response;
      const failure = await failureOf(response.body[read]());
      expect(failure).toMatchObject({ kind: 'invalid_response' });
      expect(pending.classify(new Error('reset'))).toBe(failure);
      pending.finish();
    }
    expect(await (await upstream.request(0)).ended).toEqual({ complete: false });
    expect(await (await upstream.request(1)).ended).toEqual({ complete: false });
  });

  it('a body that ended is read to its end even when the total time passes before it is read', async () => {
    const upstream = await local.upstream(({ res }) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: one\n\ndata: two\n\n');
    });
    const pending = call(local.client(), localTarget(upstream.url, { totalMs: 50 }));
    const response = await pending.response;
    // The answer arrives at once and sits unread past the call's total time.
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await response.body.text()).toBe('data: one\n\ndata: two\n\n');
  });
});
