import type { Socket } from 'node:net';
import { UpstreamClient } from './upstream-client';
import { UpstreamFailure } from './upstream-failure';
import { errorReading, failureOf, localTarget, localUpstreams, type ReceivedRequest } from './testing/local-upstream';

const ANSWER = JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', choices: [] });

function call(client: UpstreamClient, url: string, whole: boolean, body = '{"n":1}') {
  return client.call({ target: localTarget(url), path: '/chat/completions', headers: {}, body, whole });
}

/**
 * A server that closes an idle kept-alive connection without saying when it will (uvicorn after
 * 5 s, gunicorn after 2, no `Keep-Alive: timeout` header) closes it, now and then, just as the
 * gateway sends the next call on it: the call was never read. These servers close a connection the
 * moment its second call arrives, which is that race every time.
 */
function closesReusedConnections(
  cut: (socket: Socket) => void,
  answerFresh: (received: ReceivedRequest) => boolean = () => true,
) {
  const answered = new WeakSet<Socket>();
  return (received: ReceivedRequest) => {
    const { req, res } = received;
    if (answered.has(req.socket) || !answerFresh(received)) return cut(req.socket);
    answered.add(req.socket);
    res.writeHead(200, { 'content-type': 'application/json' }).end(ANSWER);
  };
}

const read = async (pending: ReturnType<typeof call>) => (await (await pending.response).body.bytes()).toString();

describe(`${UpstreamClient.name}: a kept-alive connection closed under a call`, () => {
  const local = localUpstreams();

  it.each([
    ['read whole', true],
    ['streamed', false],
  ])('the call (%s) goes again at once on a new connection, with the same body, and is answered', async (_, whole) => {
    const upstream = await local.upstream(closesReusedConnections((socket) => socket.destroy()));
    const client = local.client(1);
    expect(await read(call(client, upstream.url, whole, '{"n":1}'))).toBe(ANSWER);

    expect(await read(call(client, upstream.url, whole, '{"n":2}'))).toBe(ANSWER);
    expect(upstream.requests.map((r) => r.body)).toEqual(['{"n":1}', '{"n":2}', '{"n":2}']);
    expect(upstream.connectionsAccepted).toBe(2);
  });

  it('a reset (TCP RST) instead of a close: the same', async () => {
    const upstream = await local.upstream(closesReusedConnections((socket) => socket.resetAndDestroy()));
    const client = local.client(1);
    await read(call(client, upstream.url, true));
    expect(await read(call(client, upstream.url, true))).toBe(ANSWER);
    expect(upstream.requests).toHaveLength(3);
  });

  it('goes again once only: a new connection closed as well fails the call', async () => {
    let fresh = 0;
    const upstream = await local.upstream(
      closesReusedConnections(
        (socket) => socket.destroy(),
        () => ++fresh === 1,
      ),
    );
    const client = local.client(1);
    await read(call(client, upstream.url, true));

    const failure = await failureOf(call(client, upstream.url, true).response);
    expect(failure).toMatchObject({ kind: 'unreachable', message: 'upstream closed the connection' });
    expect(upstream.requests).toHaveLength(3);
  });

  it('a new connection closed before the answer is not tried again: the server meant it', async () => {
    const upstream = await local.upstream(({ req }) => req.socket.destroy());
    const failure = await failureOf(call(local.client(1), upstream.url, true).response);
    expect(failure.kind).toBe('unreachable');
    expect(upstream.requests).toHaveLength(1);
  });

  it('a connection closed once the answer began is not tried again (the call was read)', async () => {
    let calls = 0;
    const upstream = await local.upstream(({ req, res }) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (++calls === 1) return void res.end('data: [DONE]\n\n');
      res.write('data: first\n\n', () => req.socket.destroy());
    });
    const client = local.client(1);
    await read(call(client, upstream.url, false));

    const pending = call(client, upstream.url, false);
    const failure = pending.classify(await errorReading((await pending.response).body));
    expect(failure.kind).toBe('unreachable');
    await expect(failureOf(call(client, upstream.url, true).response)).resolves.toMatchObject({ kind: 'unreachable' });
    expect(upstream.requests).toHaveLength(3);
  });

  it('a call cancelled before its connection closed is not sent again', async () => {
    const held: Socket[] = [];
    const upstream = await local.upstream(closesReusedConnections((socket) => held.push(socket)));
    const client = local.client(1);
    await read(call(client, upstream.url, true));

    const pending = call(client, upstream.url, true);
    await upstream.request(1);
    pending.abort(new UpstreamFailure('client_closed', 'the caller closed the connection'));
    held[0]?.destroy();
    await expect(failureOf(pending.response)).resolves.toMatchObject({ kind: 'client_closed' });
    await upstream.connectionsDownTo(0);
    expect(upstream.requests).toHaveLength(2);
  });

  it('a health probe on such a connection goes again too, and reports the answer', async () => {
    const upstream = await local.upstream(closesReusedConnections((socket) => socket.destroy()));
    const client = local.client(1);
    const target = localTarget(upstream.url);
    expect(await client.probe(target, '/models', {}, 5_000)).toEqual({ status: 200, webPage: false });
    expect(await client.probe(target, '/models', {}, 5_000)).toEqual({ status: 200, webPage: false });
    expect(upstream.requests).toHaveLength(3);
  });
});
