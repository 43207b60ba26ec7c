import { EgressPolicy, UpstreamProxies } from '@synapse/gateway/config';
import { startForwardProxy, type ForwardProxy } from '@synapse/testing';
import { Pool } from 'undici';
import { UpstreamClient } from './upstream-client';
import { failureOf, localTarget, localUpstreams, unusedPort } from './testing/local-upstream';
import { tunnelConnector } from './tunnel-connector';
import { classifyUpstreamError } from './upstream-failure';

const LOOPBACK_ALLOWED = new EgressPolicy(['127.0.0.0/8']);
const ANSWER = '{"ok":true}';

describe('calls through a forward proxy (HTTP_PROXY, HTTPS_PROXY, NO_PROXY)', () => {
  const local = localUpstreams();
  const proxies: ForwardProxy[] = [];
  const clients: UpstreamClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  });

  const proxy = async (options?: Parameters<typeof startForwardProxy>[0]) => {
    const started = await startForwardProxy(options);
    proxies.push(started);
    return started;
  };
  const client = (settings: UpstreamProxies, egress = LOOPBACK_ALLOWED) => {
    // One connection: undici opens a second for a call that follows at once, tunnelled or not.
    const made = new UpstreamClient({ connections: 1, egress, proxies: settings });
    clients.push(made);
    return made;
  };
  const answering = () =>
    local.upstream(({ res }) => res.writeHead(200, { 'content-type': 'application/json' }).end(ANSWER));
  const ask = async (through: UpstreamClient, url: string) => {
    const call = through.call({
      target: localTarget(url),
      path: '/chat/completions',
      headers: {},
      body: '{}',
      whole: true,
    });
    return (await (await call.response).body.text()) as string;
  };

  it('tunnels to the upstream (CONNECT host:port) and keeps the tunnel for the next calls', async () => {
    const upstream = await answering();
    const forward = await proxy();
    const through = client(new UpstreamProxies(undefined, new URL(forward.url)));
    expect(await ask(through, `${upstream.url}/v1`)).toBe(ANSWER);
    expect(await ask(through, `${upstream.url}/v1`)).toBe(ANSWER);
    // Health checks too, on the same tunnel.
    expect((await through.probe(localTarget(`${upstream.url}/v1`), '/models', {}, 5_000)).status).toBe(200);
    expect(forward.connects).toEqual([{ authority: new URL(upstream.url).host, authorization: undefined }]);
    expect(upstream.requests.map((r) => r.req.url)).toEqual([
      '/v1/chat/completions',
      '/v1/chat/completions',
      '/v1/models',
    ]);
  });

  it("sends the URL's credentials as Proxy-Authorization, decoded", async () => {
    const upstream = await answering();
    const forward = await proxy({ user: 'gateway', password: 'p@ss:word' });
    const url = new URL(forward.url);
    url.username = 'gateway';
    url.password = encodeURIComponent('p@ss:word');
    expect(await ask(client(new UpstreamProxies(undefined, url)), `${upstream.url}/v1`)).toBe(ANSWER);
    expect(forward.connects[0].authorization).toBe(`Basic ${Buffer.from('gateway:p@ss:word').toString('base64')}`);
  });

  it('sends a password with a stray % as it is written (it is not an escape)', async () => {
    const upstream = await answering();
    const forward = await proxy({ user: 'gateway', password: '100%ZZ' });
    const url = new URL(`http://gateway:100%ZZ@127.0.0.1:${forward.port}`);
    expect(await ask(client(new UpstreamProxies(undefined, url)), `${upstream.url}/v1`)).toBe(ANSWER);
  });

  it('a 407 fails the call as unreachable, saying to set credentials, without the ones that were sent', async () => {
    const upstream = await answering();
    const forward = await proxy({ user: 'gateway', password: 'right-password' });
    const url = new URL(forward.url);
    url.username = 'gateway';
    url.password = 'wrong-password';
    const failure = await failureOf(ask(client(new UpstreamProxies(undefined, url)), `${upstream.url}/v1`));
    expect(failure.kind).toBe('unreachable');
    expect(failure.message).toMatch(/forward proxy asks for credentials \(407\)/);
    expect(failure.message).not.toContain('wrong-password');
    expect(upstream.requests).toHaveLength(0);
  });

  it('goes direct to the hosts NO_PROXY lists', async () => {
    const upstream = await answering();
    const forward = await proxy();
    const through = client(new UpstreamProxies(undefined, new URL(forward.url), 'example.com, 127.0.0.1'));
    expect(await ask(through, `${upstream.url}/v1`)).toBe(ANSWER);
    expect(forward.connects).toEqual([]);
  });

  it('keeps the egress policy: an address it refuses is not asked of the proxy', async () => {
    const forward = await proxy();
    const through = client(new UpstreamProxies(new URL(forward.url), new URL(forward.url)));
    const metadata = await failureOf(ask(through, 'http://169.254.169.254/latest'));
    expect(metadata).toMatchObject({ kind: 'refused' });
    // Loopback outside UPSTREAM_ALLOWED_PRIVATE_CIDRS, by a name that resolves to it here.
    const strict = client(new UpstreamProxies(undefined, new URL(forward.url)), new EgressPolicy([]));
    const loopback = await failureOf(ask(strict, 'http://localhost:9/v1'));
    expect(loopback.kind).toBe('refused');
    expect(loopback.message).toMatch(/localhost resolves to .*outside UPSTREAM_ALLOWED_PRIVATE_CIDRS/);
    expect(forward.connects).toEqual([]);
  });

  it('leaves a name it cannot resolve to the proxy, which resolves it in its own network', async () => {
    const forward = await proxy();
    const notHere = ((_host, _options, callback) =>
      callback(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }), [])) as Parameters<
      typeof tunnelConnector
    >[3];
    const pool = new Pool('http://only-the-proxy-knows.internal:8080', {
      connect: tunnelConnector(new URL(forward.url), LOOPBACK_ALLOWED, { timeout: 5_000 }, notHere),
    });
    const error = await pool.request({ path: '/', method: 'GET' }).catch((e: unknown) => e);
    await pool.close();
    // The proxy cannot resolve it either and drops the tunnel: the upstream is unreachable.
    expect(classifyUpstreamError(error)).toMatchObject({
      kind: 'unreachable',
      message: 'the forward proxy closed the connection before it opened the tunnel',
    });
    expect(forward.connects).toEqual([{ authority: 'only-the-proxy-knows.internal:8080', authorization: undefined }]);
  });

  it('a proxy that cannot be reached is named as such, without its credentials', async () => {
    const port = await unusedPort();
    const through = client(new UpstreamProxies(undefined, new URL(`http://gateway:s3cret@127.0.0.1:${port}`)));
    const failure = await failureOf(ask(through, 'http://127.0.0.1:9/v1'));
    expect(failure).toMatchObject({
      kind: 'unreachable',
      message: `the forward proxy http://127.0.0.1:${port} could not be reached (ECONNREFUSED)`,
    });
  });

  it('a proxy that never answers the CONNECT times out as connecting', async () => {
    const silent = await local.silentServer();
    const through = client(new UpstreamProxies(undefined, new URL(`http://127.0.0.1:${silent.port}`)));
    const call = through.call({
      target: localTarget('http://127.0.0.1:9/v1', { connectMs: 200 }),
      path: '/chat/completions',
      headers: {},
      body: '{}',
      whole: true,
    });
    const failure = await failureOf(call.response);
    expect(failure).toMatchObject({ kind: 'timeout', message: 'upstream timed out while connecting' });
  });
});
