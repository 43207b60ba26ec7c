import { PROBE_READ_BYTES, UpstreamClient } from './upstream-client';
import { localTarget, localUpstreams, type ReceivedRequest } from './testing/local-upstream';

/** A model list of `bytes`, sent 64 KiB every `everyMs` (a large catalogue over a slow link). */
function modelList(bytes: number, everyMs: number) {
  return ({ res }: ReceivedRequest) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(bytes) });
    let sent = 0;
    const piece = Buffer.alloc(64 * 1024, 0x20);
    const ticker = setInterval(() => {
      if (res.destroyed) return clearInterval(ticker);
      const size = Math.min(piece.length, bytes - sent);
      sent += size;
      if (sent < bytes) res.write(piece.subarray(0, size));
      else {
        clearInterval(ticker);
        res.end(piece.subarray(0, size));
      }
    }, everyMs);
  };
}

describe(`${UpstreamClient.name}.probe`, () => {
  const local = localUpstreams();

  it("answers from the first bytes of a model list too large to download within the check's timeout, and ends the call", async () => {
    // 4 MiB at 64 KiB every 50 ms: 3.2 s to send in full, against a 1 s check.
    const upstream = await local.upstream(modelList(4 * 1024 * 1024, 50));
    const client = local.client();
    const started = performance.now();
    expect(await client.probe(localTarget(upstream.url), '/models', {}, 1_000)).toEqual({
      status: 200,
      webPage: false,
    });
    expect(performance.now() - started).toBeLessThan(1_000);
    // The rest is not downloaded: the connection is closed with the answer unfinished.
    expect(await (await upstream.request(0)).ended).toEqual({ complete: false });
  });

  it('reads a small answer to its end and keeps the connection for the next check', async () => {
    const upstream = await local.upstream(({ res }) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[]}'),
    );
    const client = local.client(1);
    for (let i = 0; i < 3; i++) {
      expect(await client.probe(localTarget(upstream.url), '/models', {}, 1_000)).toEqual({
        status: 200,
        webPage: false,
      });
    }
    expect(upstream.connectionsAccepted).toBe(1);
  });

  it("keeps an error answer's text for what it says of the key, at most PROBE_READ_BYTES of it", async () => {
    const upstream = await local.upstream(({ res }) =>
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end(`{"reason":"API_KEY_INVALID","pad":"${'x'.repeat(200_000)}"}`),
    );
    const answer = await local.client().probe(localTarget(upstream.url), '/models', {}, 1_000);
    expect(answer.status).toBe(400);
    expect(answer.errorText?.startsWith('{"reason":"API_KEY_INVALID"')).toBe(true);
    expect(answer.errorText?.length).toBe(PROBE_READ_BYTES);
  });

  it('says a web page answered, from its type', async () => {
    const upstream = await local.upstream(({ res }) =>
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end('<html><title>Not Found</title></html>'),
    );
    expect(await local.client().probe(localTarget(upstream.url), '/models', {}, 1_000)).toEqual({
      status: 404,
      webPage: true,
      errorText: '<html><title>Not Found</title></html>',
    });
  });
});
