import { UpstreamClient, type UpstreamRequest } from './upstream-client';
import { localTarget, localUpstreams } from './testing/local-upstream';
import type { UpstreamTarget } from './upstream-target';

function post(target: UpstreamTarget, body = '{}'): UpstreamRequest {
  return { target, path: '/chat/completions', headers: { 'content-type': 'application/json' }, body };
}

/** One whole call, its body read and the call finished, as the proxy does it. */
async function callThrough(client: UpstreamClient, target: UpstreamTarget): Promise<string> {
  const call = client.call(post(target));
  const response = await call.response;
  const text = await response.body.text();
  call.finish();
  return text;
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe(UpstreamClient.name, () => {
  const local = localUpstreams();

  /** Answers every request at once with a small JSON body. */
  const answeringAtOnce = () => local.upstream(({ res }) => res.end('{"ok":true}'));

  describe('a call', () => {
    it('posts the body below the base path and returns status and headers as soon as the server sends them', async () => {
      const upstream = await local.upstream();
      const client = local.client();
      const call = client.call(post(localTarget(`${upstream.url}/v1/`), '{"model":"m"}'));

      const received = await upstream.request(0);
      expect(received.req.method).toBe('POST');
      expect(received.req.url).toBe('/v1/chat/completions');
      expect(received.req.headers['content-type']).toBe('application/json');
      expect(received.body).toBe('{"model":"m"}');

      received.res.writeHead(201, { 'content-type': 'text/event-stream', 'x-upstream': 'local' });
      received.res.flushHeaders();
      // The body is still open: the response must not wait for it.
      const response = await call.response;
      expect(response.statusCode).toBe(201);
      expect(response.headers['x-upstream']).toBe('local');
      expect(response.headers['content-type']).toBe('text/event-stream');
      received.res.end();
      await response.body.dump();
      call.finish();
    });

    it('keeps the base URL’s query on every call, where the path does not set the same parameter', async () => {
      // Azure AI's OpenAI-compatible models endpoint wants `?api-version=`: dropped, every call was a 400.
      const upstream = await local.upstream(({ res }) => res.end('{}'));
      const client = local.client();
      const target = localTarget(`${upstream.url}/models?api-version=2024-05-01-preview&tier=a%20b`);
      await callThrough(client, target);
      const withOwnQuery = client.call({ ...post(target), path: '/chat?alt=sse&api-version=own' });
      await (await withOwnQuery.response).body.text();
      withOwnQuery.finish();
      expect(upstream.requests.map(({ req }) => req.url)).toEqual([
        '/models/chat/completions?api-version=2024-05-01-preview&tier=a%20b',
        '/models/chat?alt=sse&api-version=own&tier=a+b',
      ]);
    });

    it('streams the body chunk by chunk as the server writes it', async () => {
      const upstream = await local.upstream();
      const client = local.client();
      const call = client.call(post(localTarget(upstream.url)));
      const { res } = await upstream.request(0);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');

      const chunks = (await call.response).body[Symbol.asyncIterator]();
      // The server writes its second chunk only after the client has seen the first one.
      expect(String((await chunks.next()).value)).toBe('data: one\n\n');
      res.end('data: two\n\n');
      expect(String((await chunks.next()).value)).toBe('data: two\n\n');
      expect((await chunks.next()).done).toBe(true);
      call.finish();
    });
  });

  describe('connection pools', () => {
    it('sends sequential calls to one channel over one kept-alive connection', async () => {
      const upstream = await answeringAtOnce();
      const client = local.client();
      const target = localTarget(upstream.url);
      for (let i = 0; i < 3; i += 1) {
        expect(await callThrough(client, target)).toBe('{"ok":true}');
        // undici hands a connection back to its pool one event-loop turn after the response ends
        // (in case the server closes it after all); a call made in the same turn opens another.
        await nextTurn();
      }
      expect(upstream.requests).toHaveLength(3);
      expect(upstream.connectionsAccepted).toBe(1);
    });

    it('keeps one pool per channel, even for channels on the same server', async () => {
      const upstream = await answeringAtOnce();
      const client = local.client();
      const first = localTarget(upstream.url, {}, { channelId: 'ch-1' });
      const second = localTarget(upstream.url, {}, { channelId: 'ch-2' });
      for (const target of [first, second, first, second]) {
        await callThrough(client, target);
        await nextTurn();
      }
      expect(upstream.requests).toHaveLength(4);
      expect(upstream.connectionsAccepted).toBe(2);
    });

    it('opens at most `connections` sockets per channel and queues the calls beyond them', async () => {
      // Answered a little later, so that the five calls overlap.
      const upstream = await local.upstream(({ res }) => setTimeout(() => res.end('{}'), 10));
      const client = local.client(2);
      const target = localTarget(upstream.url);
      const bodies = await Promise.all(Array.from({ length: 5 }, () => callThrough(client, target)));
      expect(bodies).toEqual(Array(5).fill('{}'));
      expect(upstream.requests).toHaveLength(5);
      expect(upstream.peakConnections).toBe(2);
      expect(upstream.connectionsAccepted).toBe(2);
    });

    it('gives a channel whose address changed a new pool and closes the old one', async () => {
      const upstream = await answeringAtOnce();
      const other = await answeringAtOnce();
      const client = local.client();
      await callThrough(client, localTarget(upstream.url));
      expect(upstream.connectionsOpen).toBe(1);
      // Same channel id, another origin: the channel was edited to point elsewhere.
      await callThrough(client, localTarget(other.url));
      await upstream.connectionsDownTo(0);
      expect(other.connectionsAccepted).toBe(1);
    });

    it('retain() closes the pools of channels that are gone and keeps the others', async () => {
      const upstream = await answeringAtOnce();
      const client = local.client();
      const kept = localTarget(upstream.url, {}, { channelId: 'kept' });
      const gone = localTarget(upstream.url, {}, { channelId: 'gone' });
      await callThrough(client, kept);
      await callThrough(client, gone);
      expect(upstream.connectionsOpen).toBe(2);

      client.retain([kept]);
      await upstream.connectionsDownTo(1);
      await callThrough(client, kept);
      // The kept channel's connection served that call.
      expect(upstream.connectionsAccepted).toBe(2);
      client.retain([]);
      await upstream.connectionsDownTo(0);
    });

    it('close() ends every pool and its kept-alive connections', async () => {
      const upstream = await answeringAtOnce();
      const client = local.client();
      await callThrough(client, localTarget(upstream.url, {}, { channelId: 'ch-1' }));
      await callThrough(client, localTarget(upstream.url, {}, { channelId: 'ch-2' }));
      expect(upstream.connectionsOpen).toBe(2);
      await client.close();
      await upstream.connectionsDownTo(0);
    });
  });

  describe('probe', () => {
    it('GETs the path below the base URL with the given headers and returns the status', async () => {
      const upstream = await local.upstream(({ res }) => {
        res.statusCode = 401;
        res.setHeader('content-type', 'application/json');
        res.end('{"error":"no"}');
      });
      const client = local.client();
      const answer = await client.probe(
        localTarget(`${upstream.url}/v1`),
        '/models',
        { authorization: 'Bearer k' },
        5_000,
      );
      expect(answer).toEqual({ status: 401, webPage: false, errorText: '{"error":"no"}' });
      const [{ req }] = upstream.requests;
      expect(req.method).toBe('GET');
      expect(req.url).toBe('/v1/models');
      expect(req.headers.authorization).toBe('Bearer k');
    });

    it('keeps the base URL’s query too', async () => {
      const upstream = await local.upstream(({ res }) => res.end('{}'));
      const target = localTarget(`${upstream.url}/v1?api-version=1`);
      expect((await local.client().probe(target, '/models', {}, 5_000)).status).toBe(200);
      expect(upstream.requests[0].req.url).toBe('/v1/models?api-version=1');
    });

    it('says when a web page answered (a website at the base URL, not the API)', async () => {
      const upstream = await local.upstream(({ res }) =>
        res
          .writeHead(404, { 'content-type': 'text/html; charset=utf-8' })
          .end('<!doctype html><title>Not found</title>'),
      );
      expect(await local.client().probe(localTarget(upstream.url), '/models', {}, 5_000)).toEqual({
        status: 404,
        webPage: true,
        errorText: '<!doctype html><title>Not found</title>',
      });
    });
  });
});
